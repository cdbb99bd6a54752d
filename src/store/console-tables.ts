import type { ColumnType } from 'kysely';

/** A local console account (migration 010). */
export interface ConsoleUsersTable {
  id: string;
  /** Unique; what `vigil user` commands and the sign-in form name. */
  name: string;
  /** viewer | analyst | admin */
  role: string;
  disabled: ColumnType<number, number | undefined, number>;
  created_ms: number;
}

/** A WebAuthn credential (passkey): public key only. */
export interface ConsolePasskeysTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  /** COSE public key. */
  public_key: Buffer;
  counter: number;
  /** JSON array of authenticator transports. */
  transports: string;
  created_ms: number;
  last_used_ms: number | null;
}

/** A TOTP secret, sealed with the console key (never stored or logged in clear). */
export interface ConsoleTotpTable {
  user_id: string;
  secret_sealed: string;
  /** The newest RFC 6238 time step accepted: an older or equal step is a replay. */
  last_step: number;
  created_ms: number;
}

/** A recovery code's SHA-256 (hex); `used_ms` set once it has been used. */
export interface ConsoleRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_ms: number | null;
}

/** A one-time enrolment link: the SHA-256 (hex) of its token. */
export interface ConsoleEnrolmentsTable {
  token_hash: string;
  user_id: string;
  created_ms: number;
  expires_ms: number;
  used_ms: number | null;
  /** The TOTP secret offered on the enrolment page (sealed), until confirmed. */
  totp_sealed: string | null;
}

/** A signed-in browser session: the SHA-256 (hex) of the cookie's value. */
export interface ConsoleSessionsTable {
  id_hash: string;
  user_id: string;
  /** How it signed in: passkey | totp | recovery | enrolment. */
  method: string;
  created_ms: number;
  last_seen_ms: number;
  idle_expires_ms: number;
  absolute_expires_ms: number;
  /** Sent back in `x-csrf-token` (or the `_csrf` form field) with every state-changing request. */
  csrf_token: string;
}

/** An API token for scripts: its SHA-256 (hex); the token itself is shown once. */
export interface ConsoleApiTokensTable {
  id: string;
  user_id: string;
  label: string;
  role: string;
  token_hash: string;
  created_ms: number;
  last_used_ms: number | null;
  revoked_ms: number | null;
}

/** One sign-in attempt by account name, for lockout. */
export interface ConsoleSignInAttemptsTable {
  name: string;
  at_ms: number;
  ok: number;
}
