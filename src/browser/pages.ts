/** The loopback server's pages: static text plus escaped values, nothing from the request echoed raw. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head><body>${body}</body></html>`;
}

export function successPage(message: string | undefined): string {
  return page(
    "Signed in",
    `<h1 id="result" data-result="success">${escapeHtml(message ?? "Authentication complete. You can close this window and return to the application.")}</h1>`,
  );
}

export function errorPage(message: string | undefined, error: string, description: string | undefined): string {
  const detail = description ? `<p id="description">${escapeHtml(description.slice(0, 500))}</p>` : "";
  return page(
    "Sign-in failed",
    `<h1 id="result" data-result="error">${escapeHtml(message ?? "Authentication failed.")}</h1><p id="error">${escapeHtml(error.slice(0, 100))}</p>${detail}`,
  );
}

export function badRequestPage(): string {
  return page("Bad request", `<h1 id="result" data-result="rejected">This request does not belong to a sign-in in progress.</h1>`);
}
