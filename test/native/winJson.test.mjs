// The Windows addon's JSON layer and request reader (native/win/json.cc, wam_request.cc, on
// nlohmann/json), built for Linux with ASan/UBSan (winJson/build.mjs) and run on the JSON cases of
// issue 13: valid JSON the old hand-written reader refused, invalid JSON it let through, a 1 MiB
// number in linear time, and request members of the wrong type.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { build } from "./winJson/build.mjs";

let check;
before(() => {
  check = build("check");
});

function run(args, input) {
  const started = process.hrtime.bigint();
  const r = spawnSync(check, args, { input, encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(r.status, 0, `${args.join(" ")}: exit ${r.status} ${r.signal ?? ""}\n${r.stderr}`);
  assert.equal(r.stderr, "", "no sanitizer report");
  return { out: r.stdout.trim(), ms };
}
const parse = (text) => run(["parse"], text).out;
const number = (text) => run(["number"], text).out;
const request = (op, object) =>
  run(["request", op], typeof object === "string" || Buffer.isBuffer(object) ? object : JSON.stringify(object)).out;

describe("valid JSON is accepted", () => {
  test("an unpaired surrogate escape reads as U+FFFD; a pair stays the character it encodes", () => {
    assert.equal(parse(JSON.stringify({ loginHint: "a\ud800b" })), 'ok {"loginHint":"a\ufffdb"}');
    assert.equal(parse('["\\udc00", "\\ud800\\u0041", "\\ud83d\\ude00", "\\ud800"]'), 'ok ["\ufffd","\ufffdA","\u{1f600}","\ufffd"]');
  });
  test("a leading byte order mark is skipped", () => {
    assert.equal(parse('\ufeff{"a":true}'), 'ok {"a":true}');
  });
  test("numbers beyond double's range read as infinity or zero, as JSON.parse has them, without failing the document", () => {
    assert.equal(number("1e400"), "inf");
    assert.equal(number("-1E+400"), "-inf");
    assert.equal(number("9".repeat(400)), "inf");
    assert.equal(number("-" + "1".repeat(400)), "-inf");
    assert.equal(number("1e-400"), "0");
    assert.equal(number("-0.0000000000000000000001e-400"), "-0");
    assert.equal(number("0.1"), "0.10000000000000001");
    assert.equal(number("123456789012345678901234567890"), "1.2345678901234568e+29");
    assert.equal(number("-0"), "-0");
    assert.equal(parse('{"prompt":1e400,"n":[1e400,0]}'), 'ok {"n":[null,0.0],"prompt":null}');
  });
  test("32 nested arrays or objects are the limit (json.h kMaxDepth), 33 fail", () => {
    assert.equal(parse("[".repeat(32) + "]".repeat(32)), `ok ${"[".repeat(32)}${"]".repeat(32)}`);
    assert.match(parse("[".repeat(33) + "]".repeat(33)), /^error JSON nested deeper than 32 levels at byte 32$/);
    assert.match(parse('{"a":'.repeat(33) + "1" + "}".repeat(33)), /^error JSON nested deeper than 32/);
    assert.equal(
      parse('["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]'),
      'ok ["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',
      "brackets in strings do not count",
    );
  });
  test("escapes, whitespace and the other literals", () => {
    assert.equal(
      parse(' \t\r\n{"a" : [ true , false , null , "\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9" ] } '),
      'ok {"a":[true,false,null,"\\"\\\\/\\b\\f\\n\\r\\t\u00e9"]}',
    );
  });
});

describe("invalid JSON is rejected", () => {
  const invalid = [
    "01",
    "+1",
    ".5",
    "1.",
    "0x10",
    "0x1p3",
    "-",
    "1e",
    "1e+",
    "-01",
    "1.e5",
    "NaN",
    "Infinity",
    "-Infinity",
    "[1,]",
    '{"a":1,}',
    "{a:1}",
    "[1 2]",
    "'a'",
    '"\\x41"',
    '"\\u12"',
    '"a\tb"',
    "[1] // c",
    "/* c */ 1",
    "",
    " ",
    "[",
    '{"a"}',
    "tru",
    "nul",
    "1 2",
    "[1-2]",
    '"\\ud800\\u12"',
  ];
  for (const text of invalid) {
    test(JSON.stringify(text), () => {
      assert.match(parse(text), /^error /);
    });
  }
  test("the reason never quotes the input", () => {
    const out = parse('{"secret":"s3cr3t-value", "x": 01}');
    assert.match(out, /^error malformed JSON: /);
    assert.doesNotMatch(out, /s3cr3t|01/);
  });
});

describe("a 1 MiB number is read in linear time", () => {
  for (const [name, text] of [
    ["fraction", "0." + "1".repeat(1 << 20)],
    ["integer", "7".repeat(1 << 20)],
    ["exponent", "1e" + "9".repeat(1 << 20)],
    ["in a request", JSON.stringify({ providerId: "p", authority: "a" }).replace("}", `,"n":0.${"3".repeat(1 << 20)}}`)],
  ]) {
    test(name, () => {
      const { out, ms } = run(name === "in a request" ? ["request", "availability"] : ["number"], text);
      assert.match(out, name === "in a request" ? /^ok$/ : /^(0\.1111111111111111|inf)$/);
      assert.ok(ms < 5000, `${ms} ms`);
    });
  }
});

describe("the WAM request", () => {
  const token = {
    providerId: "https://login.microsoft.com",
    authority: "organizations",
    clientId: "c1",
    scope: "openid",
    prompt: 1,
    properties: { wam_compat: "2.0" },
  };
  test("a loginHint with an unpaired surrogate is sent (as U+FFFD), not refused", () => {
    assert.equal(request("interactiveToken", { ...token, properties: { LoginHint: "al\udc00ice@contoso.com" } }), "ok");
  });
  test("what src/broker/windows.ts sends is read", () => {
    assert.equal(request("availability", { providerId: "p", authority: "organizations" }), "ok");
    assert.equal(request("accounts", { providerId: "p", authorities: ["organizations", "consumers"], clientId: "c" }), "ok");
    assert.equal(
      request("silentToken", { ...token, accountId: "id", accountAuthority: "organizations", appProperties: { req_cnf: "x" } }),
      "ok",
    );
    assert.equal(request("silentToken", { ...token, defaultAccount: true, defaultProviderId: "https://login.windows.local" }), "ok");
    assert.equal(request("signOut", { providerId: "p", authority: "organizations", accountId: "id", clientId: "c" }), "ok");
  });
  const refused = [
    ["a non-string authority", "availability", { providerId: "p", authority: 5 }, /authority must be a string/],
    ["a null authority", "interactiveToken", { ...token, authority: null }, /authority must be a string/],
    ["a non-string property", "interactiveToken", { ...token, properties: { LoginHint: 7 } }, /properties\.LoginHint must be a string/],
    ["properties not an object", "silentToken", { ...token, properties: ["x"] }, /properties must be an object/],
    ["a non-string app property", "silentToken", { ...token, appProperties: { req_cnf: {} } }, /appProperties\.req_cnf must be a string/],
    [
      "a non-string authority in the list",
      "accounts",
      { providerId: "p", authorities: ["organizations", 1], clientId: "c" },
      /authorities must be an array of strings/,
    ],
    ["no authorities", "accounts", { providerId: "p", clientId: "c" }, /no authorities/],
    ["a string prompt", "interactiveToken", { ...token, prompt: "1" }, /prompt must be a number/],
    ["a string defaultAccount", "silentToken", { ...token, defaultAccount: "yes" }, /defaultAccount must be true or false/],
    ["no providerId", "availability", { authority: "organizations" }, /no providerId/],
    ["an empty providerId", "availability", { providerId: "", authority: "organizations" }, /providerId is empty/],
    ["no accountId to sign out", "signOut", { providerId: "p", authority: "a", clientId: "c" }, /no accountId/],
    ["not an object", "availability", "[1]", /not a JSON object/],
    ["not JSON", "availability", "{providerId:1}", /unreadable: malformed JSON/],
    ["not UTF-8", "availability", Buffer.from([0x7b, 0xff, 0x7d]), /unreadable/],
  ];
  for (const [name, op, body, reason] of refused) {
    test(`${name} is BROKER_INVALID_REQUEST`, () => {
      const out = request(op, body);
      assert.match(out, /^error BROKER_INVALID_REQUEST /);
      assert.match(out, reason);
    });
  }
});
