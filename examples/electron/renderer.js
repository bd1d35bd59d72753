// The page: two buttons over the preload's `window.entra`; it never sees a token.
const out = document.getElementById("out");
const show = (result) => (out.textContent = JSON.stringify(result, null, 2));
document.getElementById("sign-in").onclick = () => window.entra.signIn().then(show);
document.getElementById("whoami").onclick = () => window.entra.whoAmI().then(show);
