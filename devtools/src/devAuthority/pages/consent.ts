// The consent page: which app asks for which permissions on which resource.
import { esc } from "./escape";
import { CANCEL_BUTTON, flowForm, layout } from "./layout";

export interface ConsentPageData {
  action: string;
  flowId: string;
  clientId: string;
  username: string;
  resource: string;
  permissions: string[];
}

export function consentPage(d: ConsentPageData): string {
  const perms = d.permissions.map((p) => `<li>${esc(p)}</li>`).join("");
  const body = flowForm(
    d.action,
    d.flowId,
    `<p>Signed in as <strong id="consent-user">${esc(d.username)}</strong></p>
<p>The application <code id="consent-app">${esc(d.clientId)}</code> would like to:</p>
<ul id="consent-permissions"><li>Sign you in and read your profile</li>${perms}</ul>
<p>on <code>${esc(d.resource)}</code>. Accepting lets it keep this access (offline access).</p>
<div><button type="submit" class="primary" id="accept" name="action" value="accept">Accept</button>${CANCEL_BUTTON}</div>`,
  );
  return layout({ title: "Permissions requested", body });
}
