/**
 * The sign-in and enrolment pages: server-rendered HTML with no inline script or style (the
 * console's CSP is `script-src 'self'; style-src 'self'`); the passkey ceremonies run in
 * `/assets/auth.js`, which reads what it needs from `data-` attributes.
 */

export const AUTH_SCRIPT_PATH = '/assets/auth.js';
export const AUTH_STYLE_PATH = '/assets/auth.css';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function layout(title: string, body: string, pageName: string, csrfToken?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${csrfToken === undefined ? '' : `<meta name="csrf-token" content="${escapeHtml(csrfToken)}">\n`}<title>${escapeHtml(title)} · Vigil</title>
<link rel="stylesheet" href="${AUTH_STYLE_PATH}">
<script type="module" src="${AUTH_SCRIPT_PATH}"></script>
</head>
<body data-page="${pageName}">
<main class="auth">
<h1>Vigil</h1>
${body}
</main>
</body>
</html>
`;
}

const problem = (error: string | undefined): string =>
  error === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(error)}</p>\n`;

const csrfField = (csrfToken: string | undefined): string =>
  csrfToken === undefined ? '' : `<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">`;

export interface SignInView {
  /** A local path to go to after signing in. */
  readonly next: string;
  readonly error?: string;
  /** The token of a session already open (signing in again replaces it). */
  readonly csrfToken?: string;
}

export function signInPage(view: SignInView): string {
  const next = `<input type="hidden" name="next" value="${escapeHtml(view.next)}">`;
  return layout(
    'Sign in',
    `<h2>Sign in</h2>
<p>Vigil signs you in with its own accounts, never through the identity provider it watches.</p>
${problem(view.error)}<section>
<h3>Passkey</h3>
<button type="button" id="passkey-sign-in" data-next="${escapeHtml(view.next)}">Sign in with a passkey</button>
<p id="passkey-status" class="status" role="status"></p>
</section>
<section>
<h3>Authenticator app</h3>
<form method="post" action="/sign-in/totp">
${next}${csrfField(view.csrfToken)}
<label>Name <input name="name" autocomplete="username" required maxlength="64"></label>
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6"></label>
<button type="submit">Sign in</button>
</form>
</section>
<section>
<h3>Recovery code</h3>
<form method="post" action="/sign-in/recovery">
${next}${csrfField(view.csrfToken)}
<label>Name <input name="name" autocomplete="username" required maxlength="64"></label>
<label>Recovery code <input name="code" autocomplete="off" required maxlength="20"></label>
<button type="submit">Sign in</button>
</form>
</section>`,
    'sign-in',
    view.csrfToken,
  );
}

export interface EnrolView {
  readonly token: string;
  readonly name: string;
  readonly role: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
  readonly error?: string;
  /** The token of a session already open in this browser (someone else's, perhaps): sent back with the forms. */
  readonly csrfToken?: string;
}

export function enrolPage(view: EnrolView): string {
  const token = escapeHtml(view.token);
  return layout(
    'Enrol',
    `<h2>Set up sign-in for ${escapeHtml(view.name)}</h2>
<p>Role: ${escapeHtml(view.role)}. This link works once.</p>
${problem(view.error)}<section>
<h3>Passkey (recommended)</h3>
<button type="button" id="passkey-enrol" data-token="${token}">Create a passkey</button>
<p id="passkey-status" class="status" role="status"></p>
</section>
<section>
<h3>Or an authenticator app</h3>
<p>Add this secret to your authenticator app (RFC 6238, 6 digits, 30 seconds), then type the code it shows.</p>
<p><code id="totp-secret">${escapeHtml(view.totpSecret)}</code></p>
<p><a href="${escapeHtml(view.otpauthUri)}">Open in an authenticator app</a></p>
<form method="post" action="/enrol/${token}/totp">
${csrfField(view.csrfToken)}
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6"></label>
<button type="submit">Confirm</button>
</form>
</section>
<section id="recovery" hidden>
<h3>Recovery codes</h3>
<p>Each works once if you lose your passkey or app. They are shown only now: keep them somewhere safe.</p>
<ul id="recovery-codes"></ul>
<p><a id="recovery-continue" href="/">Continue to the console</a></p>
</section>`,
    'enrol',
    view.csrfToken,
  );
}

export function recoveryCodesPage(codes: readonly string[], next: string): string {
  return layout(
    'Recovery codes',
    `<h2>Recovery codes</h2>
<p>You are signed in. Each code below works once if you lose your passkey or app. They are shown only now: keep them somewhere safe.</p>
<ul id="recovery-codes">
${codes.map((code) => `<li><code>${escapeHtml(code)}</code></li>`).join('\n')}
</ul>
<p><a id="recovery-continue" href="${escapeHtml(next)}">Continue to the console</a></p>`,
    'recovery-codes',
  );
}

export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  return layout(
    title,
    `<h2>${escapeHtml(title)}</h2>
<p>${escapeHtml(message)}</p>
${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ''}`,
    'message',
  );
}

export const AUTH_STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1f24}
.auth{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
section{margin:1.5rem 0}label{display:block;margin:.5rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{padding:.5rem 1rem;margin-top:.5rem}.problem{color:#a40000;font-weight:600}.status{min-height:1.2em}
code{font-size:1.05rem;word-break:break-all}#recovery-codes{columns:2}
`;
