/** Stable codes of the console's sign-in layer (accounts, enrolment, sessions, API tokens). */
export type ServerAuthErrorCode =
  /** No signed-in session or valid API token: HTTP 401. */
  | 'AUTH_REQUIRED'
  /** Signed in, but the role is too small for the route: HTTP 403. */
  | 'ROLE_REFUSED'
  /** A state-changing request with a session cookie but without its CSRF token (or from another origin): HTTP 403. */
  | 'CSRF_REFUSED'
  /** A sign-in that did not check out (unknown name, wrong code, bad passkey): HTTP 401, never saying which. */
  | 'SIGN_IN_FAILED'
  /** Too many failed sign-ins for the account; refused until the lockout ends: HTTP 429. */
  | 'ACCOUNT_LOCKED'
  /** Too many sign-in attempts from one address: HTTP 429. */
  | 'SIGN_IN_RATE_LIMITED'
  /** An enrolment link that is unknown, used or expired: HTTP 404. */
  | 'ENROLMENT_INVALID'
  /** A WebAuthn ceremony whose answer does not verify (challenge, origin, signature): HTTP 400. */
  | 'PASSKEY_REFUSED'
  /** A request body that is not what the route takes: HTTP 400. */
  | 'AUTH_REQUEST_INVALID'
  /** `vigil user add` with a name already taken. */
  | 'USER_EXISTS'
  /** No console user of that name. */
  | 'USER_NOT_FOUND'
  /** A user name that is not 1–64 of [A-Za-z0-9._-], or a role that is not viewer|analyst|admin. */
  | 'USER_INPUT_INVALID'
  /** An API token asked for a role above its owner's, or for a disabled user. */
  | 'TOKEN_ROLE_REFUSED'
  /** No API token of that id. */
  | 'TOKEN_NOT_FOUND'
  /** The console's secret key file (sealing TOTP secrets) is missing, unreadable or malformed. */
  | 'CONSOLE_KEY_INVALID';

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    serverAuth: ServerAuthErrorCode;
  }
}
