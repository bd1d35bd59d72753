import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { LoopbackRedirectServer } from "../../dist/internal.js";

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode, body, headers: res.headers }));
      })
      .on("error", reject);
  });
}

function portOf(server) {
  return new URL(server.redirectUri).port;
}

test("listens on 127.0.0.1 only, on a random port", async () => {
  const a = await LoopbackRedirectServer.start();
  const b = await LoopbackRedirectServer.start();
  assert.match(a.redirectUri, /^http:\/\/localhost:\d+\/$/);
  assert.notEqual(portOf(a), portOf(b));
  await assert.rejects(get(`http://[::1]:${portOf(a)}/`));
  a.close();
  b.close();
});

test("a forged state or a bare request gets 400 and the wait goes on; the real callback wins once", async () => {
  const server = await LoopbackRedirectServer.start({ successMessage: "<b>done</b>" });
  const port = portOf(server);
  const waiting = server.waitForCode("good-state", undefined, 10_000);
  const forged = await get(`http://127.0.0.1:${port}/?code=evil&state=bad-state`);
  assert.equal(forged.status, 400);
  assert.equal((await get(`http://127.0.0.1:${port}/?code=evil`)).status, 400);
  assert.equal((await get(`http://127.0.0.1:${port}/other?code=c&state=good-state`)).status, 400);
  const ok = await get(`http://127.0.0.1:${port}/?code=the-code&state=good-state`);
  assert.equal(ok.status, 200);
  assert.ok(ok.body.includes("&#60;b&#62;done&#60;/b&#62;"), "custom message is escaped");
  assert.ok(!ok.body.includes("the-code"), "the code is not echoed");
  assert.deepEqual(await waiting, { code: "the-code" });
  await assert.rejects(get(`http://127.0.0.1:${port}/?code=again&state=good-state`), "closed after success");
});

test("an error callback is escaped and ends the wait with the server's code", async () => {
  const server = await LoopbackRedirectServer.start();
  const port = portOf(server);
  const waiting = server.waitForCode("s", undefined, 10_000);
  waiting.catch(() => {});
  const desc = encodeURIComponent("<script>alert(1)</script>");
  const res = await get(`http://127.0.0.1:${port}/?error=access_denied&error_description=${desc}&state=s`);
  assert.ok(!res.body.includes("<script>"));
  assert.match(res.headers["content-security-policy"], /default-src 'none'/);
  await assert.rejects(waiting, (e) => e.name === "AuthenticationError" && e.errorResponse.error === "access_denied");
});

test("timeout and abort close the server", async () => {
  const s1 = await LoopbackRedirectServer.start();
  await assert.rejects(
    s1.waitForCode("s", undefined, 50),
    (e) => e.name === "AuthenticationError" && e.errorResponse.error === "timed_out",
  );
  await assert.rejects(get(`http://127.0.0.1:${portOf(s1)}/`));
  const s2 = await LoopbackRedirectServer.start();
  const controller = new AbortController();
  const waiting = s2.waitForCode("s", controller.signal, 10_000);
  controller.abort();
  await assert.rejects(waiting, { name: "AbortError" });
  await assert.rejects(get(`http://127.0.0.1:${portOf(s2)}/`));
});

test("a request line that is not a valid URL gets 400 and the wait goes on (no crash)", async () => {
  const server = await LoopbackRedirectServer.start();
  const port = portOf(server);
  const waiting = server.waitForCode("s", undefined, 10_000);
  const status = await new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.write("GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.once("data", (chunk) => resolve(Number(chunk.toString().split(" ")[1])));
    socket.once("error", reject);
  });
  assert.equal(status, 400);
  assert.equal((await get(`http://127.0.0.1:${port}/?code=c&state=s`)).status, 200);
  assert.deepEqual(await waiting, { code: "c" });
});

test("a custom errorMessage is shown, escaped, on the error page", async () => {
  const server = await LoopbackRedirectServer.start({ errorMessage: "<i>Sign-in failed at Contoso</i>" });
  const port = portOf(server);
  const waiting = server.waitForCode("s", undefined, 10_000);
  waiting.catch(() => {});
  const res = await get(`http://127.0.0.1:${port}/?error=access_denied&state=s`);
  assert.ok(res.body.includes("&#60;i&#62;Sign-in failed at Contoso&#60;/i&#62;"), res.body);
  assert.ok(!res.body.includes("<i>"));
  await assert.rejects(waiting, { name: "AuthenticationError" });
});
