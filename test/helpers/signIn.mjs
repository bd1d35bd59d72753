// Shared by the credential tests: an `openBrowser` that plays the user over HTTP through the dev
// authority's real pages, then follows the redirect to our loopback server as a browser would.
import http from "node:http";
import { signInOverHttp } from "./devAuthorityBrowser.mjs";

export function getLoopback(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url.replace("http://localhost", "http://127.0.0.1"), (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      })
      .on("error", reject);
  });
}

/** An openBrowser that signs `user` in; records the URLs it was given in `opened`. */
export function httpBrowser(authority, user, extra = {}) {
  const opened = [];
  const open = async (url) => {
    opened.push(url);
    const final = await signInOverHttp(url, { ca: authority.ca, username: user.username, password: user.password, ...extra });
    await getLoopback(final);
  };
  open.opened = opened;
  return open;
}

export function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}
