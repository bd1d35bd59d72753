// The form_post response page and a generic error page.
import { esc } from "./escape";
import { layout } from "./layout";

/** Posts the authorization response to the redirect URI (response_mode=form_post). */
export function formPostPage(action: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body><form method="post" action="${esc(action)}" id="form-post">
${inputs}
<noscript><p>Script is disabled. Click Continue.</p></noscript>
<button type="submit" id="continue">Continue</button>
</form>
<script nonce="${esc(nonce)}">document.getElementById("form-post").submit();</script>
</body></html>
`;
}

export function errorPage(title: string, message: string): string {
  return layout({ title, body: `<p>The request could not be completed.</p>`, error: message });
}
