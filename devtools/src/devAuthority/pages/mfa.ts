// The step-up (MFA) page. The dev authority shows the expected code on the page itself.
import { esc } from "./escape";
import { CANCEL_BUTTON, flowForm, layout } from "./layout";

export interface MfaPageData {
  action: string;
  flowId: string;
  username: string;
  code: string;
  error?: string;
}

export function mfaPage(d: MfaPageData): string {
  const body = flowForm(
    d.action,
    d.flowId,
    `<p>More verification is required for <strong>${esc(d.username)}</strong>.</p>
<p>Your verification code (dev authority): <output id="mfa-display" class="code">${esc(d.code)}</output></p>
<label for="mfa-code">Enter the code</label>
<input type="text" id="mfa-code" name="mfa_code" value="" inputmode="numeric" autocomplete="one-time-code" required>
<div><button type="submit" class="primary" id="submit" name="action" value="verify">Verify</button>${CANCEL_BUTTON}</div>`,
  );
  return layout({ title: "Verify your identity", body, error: d.error });
}
