/**
 * The provider port for canary sign-ins (src/canary): a real primary authentication and factor
 * verification, as a user's client would send them, and the few admin calls a probe needs to read a
 * canary's state and never leave it locked. An adapter (sources/okta/okta-authn-client.ts) bounds
 * and checks every answer as the log adapter does; a transport failure is an AuthnAttempt with
 * `httpStatus` 0, never a throw, so a probe can say what it saw.
 */
export interface AuthnClient {
  readonly name: string;
  /** The User-Agent every call sends: how the provider's log names the probe runner. */
  readonly userAgent: string;
  primary(username: string, password: string, signal?: AbortSignal): Promise<AuthnAttempt>;
  verifyTotp(
    factorId: string,
    stateToken: string,
    passCode: string,
    signal?: AbortSignal,
  ): Promise<AuthnAttempt>;
  /** The user's id and status (`ACTIVE`, `LOCKED_OUT`, `DEPROVISIONED`, ...) through the admin API. */
  user(login: string, signal?: AbortSignal): Promise<{ readonly id: string; readonly status: string }>;
  /** Unlocks a locked user through the admin API. */
  unlock(userId: string, signal?: AbortSignal): Promise<void>;
  /** The active password policies' lockout settings, highest priority first. */
  passwordLockout(signal?: AbortSignal): Promise<PasswordLockout | undefined>;
}

export interface PasswordLockout {
  readonly maxAttempts: number;
  readonly autoUnlockMinutes: number | null;
}

/** What one authentication call observed: the transaction state or the error, never a token. */
export interface AuthnAttempt {
  /** 0 when no answer came (timeout, refused connection, a body that broke the limits). */
  readonly httpStatus: number;
  /** The transaction `status` (`SUCCESS`, `MFA_REQUIRED`, `LOCKED_OUT`, ...), when one came. */
  readonly status?: string;
  /** The provider's error code (`E0000004`, `E0000047`, ...), when one came. */
  readonly errorCode?: string;
  /** Kept in memory for the next step of the same transaction; never stored or printed. */
  readonly stateToken?: string;
  /** The factors an MFA_REQUIRED transaction offers. */
  readonly factors?: readonly { readonly id: string; readonly factorType: string }[];
  /** Why no usable answer came, when `httpStatus` is 0 or the body was refused. */
  readonly problem?: string;
}

/** An attempt in one short phrase for a probe's `observed`: `MFA_REQUIRED`, `401 E0000004`, ... */
export function describeAttempt(a: AuthnAttempt): string {
  if (a.httpStatus === 0) return `no answer (${a.problem ?? 'unknown'})`;
  if (a.status !== undefined) return a.status;
  return `${a.httpStatus}${a.errorCode ? ` ${a.errorCode}` : ''}${a.problem ? ` (${a.problem})` : ''}`;
}
