// The frame every dev authority page shares.
import { esc } from "./escape";

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center}
main{background:#fff;margin-top:8vh;padding:32px 40px;width:380px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:22px;font-weight:600;margin:0 0 16px}
.brand{font-size:13px;color:#666;margin-bottom:12px}
label{display:block;margin:12px 0 4px;font-size:14px}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:6px;font-size:15px}
button{font-size:15px;padding:6px 18px;margin:16px 8px 0 0;cursor:pointer}
.tile{display:block;width:100%;text-align:left;margin:6px 0;padding:10px;background:#fafafa;border:1px solid #ddd}
.tile small{display:block;color:#666}
#error{color:#a80000;background:#fde7e9;padding:8px;margin:8px 0}
.primary{background:#0067b8;color:#fff;border:0}
.code{font-family:monospace;font-size:22px;letter-spacing:3px}
ul{padding-left:20px}
`;

export interface LayoutOptions {
  title: string;
  body: string;
  error?: string;
}

export function errorBox(error: string | undefined): string {
  return error ? `<div id="error" role="alert">${esc(error)}</div>` : "";
}

export function layout(o: LayoutOptions): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(o.title)}</title><style>${STYLE}</style></head>
<body><main><div class="brand">entra-broker dev authority</div>
<h1>${esc(o.title)}</h1>
${errorBox(o.error)}
${o.body}
</main></body></html>
`;
}

/** A form posting back to the sign-in handler, carrying the flow id. */
export function flowForm(action: string, flowId: string, inner: string): string {
  return `<form method="post" action="${esc(action)}" autocomplete="off">
<input type="hidden" name="flow" value="${esc(flowId)}">
${inner}
</form>`;
}

export const CANCEL_BUTTON = `<button type="submit" id="cancel" name="action" value="cancel" formnovalidate>Cancel</button>`;
