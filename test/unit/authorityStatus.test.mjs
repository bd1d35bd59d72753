// AuthenticationError.statusCode is the HTTP status the authority sent (issue 13 item 7): for a JSON
// error, an HTML 502 page from a proxy, and a malformed 200 reply. The device code flow reaches the
// token endpoint without a user; msal-node drops the status there, so the network client records it.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpsRequest } from "node:https";
import { DevAuthority, makeCertificates } from "entra-broker-devtools";
import { DeviceCodeCredential, AuthenticationError } from "entra-broker";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let front;
/** What the front answers instead of the token endpoint: { status, type, body }, or undefined to pass through. */
let tokenReply;

/** An HTTPS front for the dev authority (as a proxy or gateway would be) that can answer the token endpoint itself. */
async function startFront() {
  const certs = await makeCertificates();
  let origin;
  const server = createServer({ key: certs.keyPem, cert: certs.certPem + certs.caPem }, (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (tokenReply && req.method === "POST" && req.url.includes("/oauth2/v2.0/token")) {
        res.writeHead(tokenReply.status, { "content-type": tokenReply.type });
        res.end(tokenReply.body);
        return;
      }
      const upstream = httpsRequest(
        `${authority.url}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: authority.host }, ca: authority.ca, agent: false },
        (up) => {
          const body = [];
          up.on("data", (c) => body.push(c));
          up.on("end", () => {
            const text = Buffer.concat(body).toString("utf8").split(authority.url).join(origin);
            const headers = { ...up.headers, "content-length": Buffer.byteLength(text) };
            res.writeHead(up.statusCode, headers);
            res.end(text);
          });
        },
      );
      upstream.on("error", (e) => res.destroy(e));
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${server.address().port}`;
  return { origin, ca: certs.caPem, close: () => new Promise((resolve) => server.close(resolve)) };
}

before(async () => {
  authority = await DevAuthority.start({ deviceCodeIntervalSeconds: 1 });
  front = await startFront();
});
after(async () => {
  await front.close();
  await authority.close();
});
beforeEach(() => {
  authority.clearFaults();
  tokenReply = undefined;
});

function credential() {
  return new DeviceCodeCredential({
    authorityHost: front.origin,
    authorityCa: front.ca,
    tenantId: authority.tenants[0].tenantId,
    disableInstanceDiscovery: true,
    userPromptCallback: () => {},
    timeout: 30_000,
  });
}

async function statusOf(cred) {
  const error = await cred.getToken(SCOPE).then(
    () => assert.fail("no error"),
    (e) => e,
  );
  assert.ok(error instanceof AuthenticationError, `${error?.name}: ${error?.message}`);
  return error;
}

test("a JSON 503 from the token endpoint (the dev authority's injected fault) is statusCode 503, not 400", async () => {
  authority.injectFault({ endpoint: "token", status: 503, times: Infinity });
  const e = await statusOf(credential());
  assert.equal(e.statusCode, 503);
  assert.equal(e.errorResponse.error, "temporarily_unavailable");
  assert.match(e.errorResponse.errorDescription, /AADSTS90033/);
});

test("a JSON 401 error keeps the server's code, description and status", async () => {
  authority.injectFault({
    endpoint: "token",
    status: 401,
    error: "invalid_client",
    errorDescription: "AADSTS7000218: nope",
    times: Infinity,
  });
  const e = await statusOf(credential());
  assert.equal(e.statusCode, 401);
  assert.equal(e.errorResponse.error, "invalid_client");
  assert.match(e.errorResponse.errorDescription, /^AADSTS7000218: nope/);
});

test("an HTML 502 page is statusCode 502", async () => {
  tokenReply = { status: 502, type: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" };
  const e = await statusOf(credential());
  assert.equal(e.statusCode, 502);
  assert.match(e.errorResponse.errorDescription, /HTTP 502 with a body that is not JSON/);
});

test("a malformed 200 reply is statusCode 200", async () => {
  for (const body of ['{"token_type":"Bearer"}', "<html>ok</html>"]) {
    tokenReply = { status: 200, type: body.startsWith("{") ? "application/json" : "text/html", body };
    const e = await statusOf(credential());
    assert.equal(e.statusCode, 200, `${body}: ${e.message} ${e.cause?.name} ${e.cause?.errorCode ?? e.cause?.code}`);
  }
});
