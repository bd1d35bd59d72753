// Signs in through the dev authority's real HTML pages over HTTPS, as a person would: it parses the
// pages' forms (hidden fields included) and submits them with the button a person would click.
// No Chromium needed. The pages are recognised by their stable selectors (#password, #accept, ...).
import http from "node:http";
import https from "node:https";

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", "#96": "`" };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function parseAttrs(tag) {
  const attrs = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<\s*[a-z0-9]+/i, "").replace(/\/?>$/, "");
  let m;
  while ((m = re.exec(inner))) attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  return attrs;
}

function textOf(html) {
  return decodeEntities(html.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/** Parses every form of a page: action, method, fields (inputs) and buttons. */
export function parseForms(html) {
  const forms = [];
  const formRe = /<form\b[^>]*>([\s\S]*?)<\/form>/gi;
  let fm;
  while ((fm = formRe.exec(html))) {
    const attrs = parseAttrs(fm[0].match(/^<form\b[^>]*>/i)[0]);
    const body = fm[1];
    const inputs = [...body.matchAll(/<input\b[^>]*>/gi)].map((m) => parseAttrs(m[0]));
    const buttons = [...body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({
      ...parseAttrs(`<button ${m[1]}>`),
      text: textOf(m[2]),
    }));
    forms.push({ action: attrs.action ?? "", method: (attrs.method ?? "get").toUpperCase(), id: attrs.id, inputs, buttons });
  }
  return forms;
}

/** The text of the element with this id, or undefined. */
export function elementText(html, id) {
  const re = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`, "i");
  const m = html.match(re);
  return m ? textOf(m[2]) : undefined;
}

function hasId(html, id) {
  return new RegExp(`\\bid="${id}"`, "i").test(html);
}

function request(method, url, { ca, body, cookieJar, headers = {} }) {
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  const cookies = cookieJar?.get(u.host);
  const h = { ...headers };
  if (cookies && cookies.size > 0) h.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (body !== undefined) {
    h["content-type"] = "application/x-www-form-urlencoded";
    h["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method, headers: h, ca: u.protocol === "https:" ? ca : undefined, agent: false }, (res) => {
      const set = res.headers["set-cookie"] ?? [];
      if (cookieJar && set.length > 0) {
        const jar = cookieJar.get(u.host) ?? new Map();
        for (const c of set) {
          const [pair] = c.split(";");
          const i = pair.indexOf("=");
          if (i > 0) jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
        }
        cookieJar.set(u.host, jar);
      }
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text, url }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.end(body);
  });
}

/** Submits `form` of the page at `pageUrl`, as if `button` was clicked, with `values` typed in. */
function submit(page, form, button, values, opts) {
  const params = new URLSearchParams();
  for (const input of form.inputs) {
    if (!input.name || input.disabled !== undefined) continue;
    const type = (input.type ?? "text").toLowerCase();
    if (["submit", "button", "image", "reset", "file"].includes(type)) continue;
    if ((type === "checkbox" || type === "radio") && input.checked === undefined) continue;
    const id = input.id;
    params.append(input.name, id && values[id] !== undefined ? values[id] : (input.value ?? ""));
  }
  if (button?.name) params.append(button.name, button.value ?? "");
  const action = new URL(form.action || page.url, page.url).toString();
  return request(form.method, action, { ...opts, body: params.toString() });
}

function findButton(forms, pred) {
  for (const form of forms) {
    const button = form.buttons.find(pred);
    if (button) return { form, button };
  }
  return undefined;
}

function click(page, forms, id, values, opts) {
  const hit = findButton(forms, (b) => b.id === id);
  if (!hit) throw new Error(`dev authority page has no #${id} button`);
  return submit(page, hit.form, hit.button, values, opts);
}

function pageKind(html) {
  if (hasId(html, "form-post")) return "form_post";
  if (hasId(html, "done")) return "done";
  if (hasId(html, "mfa-code")) return "mfa";
  if (hasId(html, "accept")) return "consent";
  if (hasId(html, "use-another")) return "picker";
  if (hasId(html, "password")) return "password";
  if (hasId(html, "code") && hasId(html, "submit")) return "device_code";
  return "unknown";
}

/** Drives the sign-in pages from the response `page` on; returns what ends the flow. */
async function drive(page, o) {
  const origin = new URL(page.url).origin;
  let last;
  for (let step = 0; step < 30; step++) {
    if ([301, 302, 303, 307, 308].includes(page.status)) {
      const location = new URL(page.headers.location, page.url).toString();
      if (new URL(location).origin !== origin) return { kind: "redirect", url: location };
      page = await request("GET", location, o);
      continue;
    }
    const html = page.text;
    const error = elementText(html, "error");
    if (page.status !== 200) throw new Error(`dev authority answered ${page.status}: ${error ?? html.slice(0, 300)}`);
    const kind = pageKind(html);
    if (error && (kind === last || kind === "unknown" || kind === "device_code")) throw new Error(`sign-in failed: ${error}`);
    const forms = parseForms(html);
    last = kind;
    if (kind === "form_post") {
      const form = forms.find((f) => f.id === "form-post");
      const fields = Object.fromEntries(form.inputs.filter((i) => i.name).map((i) => [i.name, i.value ?? ""]));
      const target = new URL(form.action, page.url);
      const described = new URL(target);
      for (const [k, v] of Object.entries(fields)) described.searchParams.append(k, v);
      if (o.formPost !== "return") {
        const res = await request("POST", target.toString(), { body: new URLSearchParams(fields).toString() });
        return {
          kind: "redirect",
          url: described.toString(),
          formPost: { action: target.toString(), fields, status: res.status, body: res.text },
        };
      }
      return { kind: "redirect", url: described.toString(), formPost: { action: target.toString(), fields } };
    }
    if (kind === "done") {
      const result = html.match(/id="done"[^>]*data-result="([a-z]+)"/i)?.[1] ?? "approved";
      return { kind: "done", result, text: elementText(html, "done") ?? "" };
    }
    if (kind === "unknown") throw new Error(`unexpected dev authority page: ${textOf(html).slice(0, 300)}`);
    if (o.cancel) {
      page = await click(page, forms, "cancel", {}, o);
      continue;
    }
    if (kind === "picker") {
      const tile = o.account && findButton(forms, (b) => (b["data-account"] ?? "").toLowerCase() === o.account.toLowerCase());
      if (o.account && !tile) throw new Error(`no account tile for ${o.account} on the account picker`);
      page = tile ? await submit(page, tile.form, tile.button, {}, o) : await click(page, forms, "use-another", {}, o);
    } else if (kind === "password") {
      if (o.password === undefined) throw new Error("the dev authority asks for a password and none was given");
      const values = { password: o.password };
      if (o.username !== undefined) values.username = o.username;
      page = await click(page, forms, "submit", values, o);
    } else if (kind === "mfa") {
      if (o.mfa === false) {
        page = await click(page, forms, "cancel", {}, o);
      } else {
        const code = typeof o.mfa === "string" ? o.mfa : elementText(html, "mfa-display");
        page = await click(page, forms, "submit", { "mfa-code": code }, o);
      }
    } else if (kind === "consent") {
      page = await click(page, forms, o.consent === false ? "cancel" : "accept", {}, o);
    } else {
      throw new Error(`unexpected page ${kind}`);
    }
  }
  throw new Error("too many sign-in steps");
}

/** A cookie jar for signInOverHttp: host -> (cookie name -> value). */
export function createCookieJar() {
  return new Map();
}

/**
 * Opens `authorizeUrl` and clicks through the sign-in pages. Returns the final redirect URL, not fetched.
 * With response_mode=form_post (what msal-node's acquireTokenInteractive asks for) the response is a
 * page that posts to the redirect URI: this helper POSTs it there (as the browser would) and returns
 * the redirect URI with the posted fields as query parameters, for inspection only (do not GET it).
 * Pass `formPost: "return"` to only return that URL. `mfa`: true enters the code shown, false cancels,
 * a string enters that string. Throws with the page's #error text when a step fails twice.
 */
export async function signInOverHttp(authorizeUrl, options = {}) {
  const o = { consent: true, cancel: false, mfa: true, ...options, cookieJar: options.cookieJar ?? createCookieJar() };
  const first = await request("GET", authorizeUrl, o);
  const end = await drive(first, o);
  if (end.kind !== "redirect") throw new Error(`sign-in ended on a '${end.kind}' page instead of a redirect`);
  return end.url;
}

/**
 * A DeviceCodeCredential's `userPromptCallback`: `user` enters each code on the verification page
 * (trusting `ca`; `options` as for {@link completeDeviceCodeOverHttp}). A refused sign-in is not
 * thrown here: it shows in what the credential returns. `prompts`, when given, collects each prompt.
 */
export function codeEnteredBy(user, { ca, prompts, ...options }) {
  return (info) => {
    prompts?.push(info);
    completeDeviceCodeOverHttp(info.verificationUri, info.userCode, {
      ca,
      username: user.username,
      password: user.password,
      ...options,
    }).catch(() => {});
  };
}

/**
 * Opens the device login page, enters `userCode` and signs in. Resolves to
 * `{ result: "approved" | "declined", text }` from the final page (#done).
 */
export async function completeDeviceCodeOverHttp(verificationUri, userCode, options = {}) {
  const o = { consent: true, cancel: false, mfa: true, ...options, cookieJar: options.cookieJar ?? createCookieJar() };
  const page = await request("GET", verificationUri, o);
  if (page.status !== 200) throw new Error(`device login page answered ${page.status}`);
  const forms = parseForms(page.text);
  const next = await click(page, forms, "submit", { code: userCode }, o);
  const end = await drive(next, o);
  if (end.kind !== "done") throw new Error(`device sign-in ended with ${end.kind}`);
  return { result: end.result, text: end.text };
}
