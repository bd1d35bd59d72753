// Device code pages: enter the code, and the final "you may close this window" page.
import { esc } from "./escape";
import { layout } from "./layout";

export interface DeviceCodePageData {
  action: string;
  code?: string;
  error?: string;
}

export function deviceCodePage(d: DeviceCodePageData): string {
  const body = `<form method="post" action="${esc(d.action)}" autocomplete="off">
<p>Enter the code displayed on your app or device.</p>
<label for="code">Code</label>
<input type="text" id="code" name="otc" value="${esc(d.code ?? "")}" required>
<div><button type="submit" class="primary" id="submit" name="action" value="next">Next</button></div>
</form>`;
  return layout({ title: "Enter code", body, error: d.error });
}

export interface DeviceDonePageData {
  approved: boolean;
  username?: string;
  clientId: string;
}

export function deviceDonePage(d: DeviceDonePageData): string {
  const text = d.approved
    ? `<p>You have signed in as <strong>${esc(d.username ?? "")}</strong> to the application <code>${esc(d.clientId)}</code> on your device. You may now close this window.</p>`
    : `<p>You declined to sign in to the application <code>${esc(d.clientId)}</code> on your device. You may now close this window.</p>`;
  const body = `<div id="done" data-result="${d.approved ? "approved" : "declined"}">${text}</div>`;
  return layout({ title: d.approved ? "You have signed in" : "Sign-in declined", body });
}
