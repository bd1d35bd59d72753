// Account picker and username + password pages.
import { esc } from "./escape";
import { CANCEL_BUTTON, flowForm, layout } from "./layout";

export interface AccountTile {
  username: string;
  displayName: string;
}

export interface PickerPageData {
  action: string;
  flowId: string;
  accounts: AccountTile[];
  error?: string;
}

export function pickerPage(d: PickerPageData): string {
  const tiles = d.accounts
    .map(
      (a) =>
        `<button type="submit" class="tile" name="account" value="${esc(a.username)}" data-account="${esc(a.username)}">` +
        `${esc(a.displayName)}<small>${esc(a.username)}</small></button>`,
    )
    .join("\n");
  const body = flowForm(
    d.action,
    d.flowId,
    `<p>Pick an account</p>
${tiles}
<button type="submit" class="tile" id="use-another" name="action" value="use-another">Use another account</button>
${CANCEL_BUTTON}`,
  );
  return layout({ title: "Pick an account", body, error: d.error });
}

export interface PasswordPageData {
  action: string;
  flowId: string;
  username?: string;
  error?: string;
}

export function passwordPage(d: PasswordPageData): string {
  const body = flowForm(
    d.action,
    d.flowId,
    `<label for="username">Email or username</label>
<input type="text" id="username" name="username" value="${esc(d.username ?? "")}" autocomplete="username" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" value="" autocomplete="current-password" required>
<div><button type="submit" class="primary" id="submit" name="action" value="sign-in">Sign in</button>${CANCEL_BUTTON}</div>`,
  );
  return layout({ title: "Sign in", body, error: d.error });
}
