import type { AuditLog } from '../../audit/audit-log.js';
import type { Clock } from '../../core/clock.js';
import { resolveKeyDirectory } from '../../keys/key-directory.js';
import { loadPiiKey } from '../../keys/pii-token-key.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Store } from '../../store/store.js';
import type { SessionPolicy } from './sessions.js';
import type { LockoutPolicy } from './sign-in-guard.js';

/** What the sign-in layer needs from the composition root. */
export interface AuthDeps {
  /** The runtime's store (`runtime.store`): accounts, sessions and tokens live in it (migration 010). */
  readonly store: Store;
  readonly clock: Clock;
  /** Sign-ins, failures, lockouts and enrolments are recorded here (`runtime.auditLog()`). */
  readonly audit: Pick<AuditLog, 'record'>;
  /**
   * The console's public origin as browsers reach it, e.g. `https://vigil.example:8443`: the
   * WebAuthn origin and RP id (its host name) and the only `Origin` accepted on state-changing requests.
   */
  readonly origin: string;
  /** Served over TLS: the session cookie is `Secure`. */
  readonly secure: boolean;
  /** The relying-party name authenticators show. */
  readonly rpName: string;
  /**
   * 32+ secret bytes kept outside the database, from which the key sealing TOTP secrets is derived:
   * `consoleSealKey(runtime)`.
   */
  readonly sealKey: Uint8Array;
  readonly sessions?: Partial<SessionPolicy>;
  readonly lockout?: Partial<LockoutPolicy>;
}

/**
 * The root key for sealed console secrets: the key directory's `pii-token.key` (a writer creates
 * it; `vigil serve` is one), which lives beside the signing keys and not in the database, so a
 * copy of the store alone opens no TOTP secret. Purpose separation is by HKDF (`SecretBox`).
 */
export function consoleSealKey(runtime: Runtime): Buffer {
  const keys = resolveKeyDirectory({
    dataDir: runtime.dataDir,
    env: runtime.options.env,
    configured: runtime.config.keys.dir,
  });
  return loadPiiKey(keys, { create: runtime.options.access === 'write' });
}
