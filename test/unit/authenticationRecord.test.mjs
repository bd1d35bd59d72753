import { test } from "node:test";
import assert from "node:assert/strict";
import * as ours from "entra-broker";
import * as identity from "@azure/identity";

const record = {
  authority: "login.microsoftonline.com",
  homeAccountId: "00000000-0000-0000-0000-000000000001.72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  username: "ada@contoso.example",
};

test("a record serialized by entra-broker is read by @azure/identity", () => {
  const text = ours.serializeAuthenticationRecord({ ...record, nativeAccountId: "broker-id-1" });
  assert.equal(JSON.parse(text).version, "1.0");
  const theirs = identity.deserializeAuthenticationRecord(text);
  for (const key of Object.keys(record)) assert.equal(theirs[key], record[key]);
});

test("a record serialized by @azure/identity is read by entra-broker", () => {
  const text = identity.serializeAuthenticationRecord({ ...record, version: "1.0" });
  const back = ours.deserializeAuthenticationRecord(text);
  assert.deepEqual(back, record);
});

test("the broker account id survives a round trip", () => {
  const back = ours.deserializeAuthenticationRecord(ours.serializeAuthenticationRecord({ ...record, nativeAccountId: "broker-id-1" }));
  assert.equal(back.nativeAccountId, "broker-id-1");
});

test("bad records give typed errors", () => {
  for (const [text, pattern] of [
    ["not json", /not valid JSON/],
    ["42", /not a JSON object/],
    [JSON.stringify({ ...record, version: "2.0" }), /Unsupported AuthenticationRecord version/],
    [JSON.stringify({ ...record, username: undefined }), /no "username"/],
  ]) {
    assert.throws(
      () => ours.deserializeAuthenticationRecord(text),
      (e) => e instanceof TypeError && e.code === "INVALID_AUTHENTICATION_RECORD" && pattern.test(e.message),
    );
  }
});
