// The three tools' output shapes as documented (and as az 2.45, az 2.54+, PowerShell 5 and 7, azd print them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAzureCliToken, parseAzureDeveloperCliToken, parsePowerShellToken, Failure } from "../../dist/internal.js";

const badReply = (e) =>
  e instanceof Failure && e.kind === "bad_reply" && e.code === "DEVELOPER_TOOL_BAD_REPLY" && !e.message.includes("secret-token");

test("az 2.54+: expires_on (epoch seconds) is preferred over expiresOn", () => {
  const reply = { accessToken: "tok", expiresOn: "1999-01-01 00:00:00.000000", expires_on: 1796180645, tokenType: "Bearer" };
  assert.deepEqual(parseAzureCliToken(JSON.stringify(reply)), { token: "tok", expiresOnTimestamp: 1796180645000, tokenType: "Bearer" });
  assert.equal(parseAzureCliToken(JSON.stringify({ ...reply, expires_on: "1796180645" })).expiresOnTimestamp, 1796180645000);
});

test("az 2.45: expiresOn is local time without an offset", () => {
  const out = JSON.stringify({
    accessToken: "tok",
    expiresOn: "2026-12-01 21:39:05.250000",
    subscription: "s",
    tenant: "t",
    tokenType: "Bearer",
  });
  assert.equal(parseAzureCliToken(out).expiresOnTimestamp, new Date(2026, 11, 1, 21, 39, 5, 250).getTime());
});

test("az: garbage, a missing token or an unreadable date is a bad reply that does not quote the output", () => {
  for (const out of [
    "",
    "not json",
    "[]",
    '{"accessToken":""}',
    '{"accessToken":"secret-token"}',
    '{"accessToken":"secret-token","expiresOn":"tomorrow"}',
  ]) {
    assert.throws(() => parseAzureCliToken(out), badReply, out);
  }
});

test("PowerShell 7: ExpiresOn with an offset, warnings around the JSON; Windows PowerShell: \\/Date(ms)\\/", () => {
  const seven = 'WARNING: something {odd}\n{\n  "ExpiresOn": "2026-12-02T03:04:05.1234567+01:00",\n  "Token": "tok"\n}\n';
  assert.equal(parsePowerShellToken(seven).expiresOnTimestamp, Date.UTC(2026, 11, 2, 2, 4, 5, 123));
  assert.equal(parsePowerShellToken('{"ExpiresOn":"\\/Date(1796180645000)\\/","Token":"tok"}').expiresOnTimestamp, 1796180645000);
  assert.throws(() => parsePowerShellToken('{"ExpiresOn":"2026-12-02 03:04:05","Token":"secret-token"}'), badReply);
  assert.throws(() => parsePowerShellToken("Get-AzAccessToken: oops"), badReply);
});

test("azd: token and an RFC 3339 expiresOn", () => {
  assert.equal(
    parseAzureDeveloperCliToken('{"token":"tok","expiresOn":"2026-12-02T03:04:05Z"}').expiresOnTimestamp,
    Date.UTC(2026, 11, 2, 3, 4, 5),
  );
  assert.throws(() => parseAzureDeveloperCliToken('{"token":"secret-token","expiresOn":"2026-12-02 03:04:05"}'), badReply);
  assert.throws(() => parseAzureDeveloperCliToken('{"token":"has space","expiresOn":"2026-12-02T03:04:05Z"}'), badReply);
});
