import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../audit/audit-log.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import { AccountStore } from './account-store.js';
import { ApiTokens } from './api-tokens.js';
import type { AuthDeps } from './auth-deps.js';
import { Enrolments } from './enrolment.js';
import { Passkeys } from './passkeys.js';
import type { Principal } from './principal.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SecretBox } from './secret-box.js';
import { Sessions } from './sessions.js';
import { SignInGuard } from './sign-in-guard.js';
import { TotpFactor } from './totp-factor.js';

/** The sign-in layer's parts over one store, built once by `registerAuth`. */
export class ConsoleAuth {
  readonly db: Kysely<VigilDatabase>;
  readonly origin: string;
  readonly accounts: AccountStore;
  readonly enrolments: Enrolments;
  readonly sessions: Sessions;
  readonly tokens: ApiTokens;
  readonly guard: SignInGuard;
  readonly passkeys: Passkeys;
  readonly totp: TotpFactor;
  readonly recovery: RecoveryCodes;

  constructor(readonly deps: AuthDeps) {
    const { clock } = deps;
    this.db = deps.store.db;
    this.origin = new URL(deps.origin).origin;
    this.accounts = new AccountStore(this.db, clock);
    this.enrolments = new Enrolments(this.db, clock);
    this.sessions = new Sessions(this.db, clock, deps.sessions);
    this.tokens = new ApiTokens(this.db, clock);
    this.guard = new SignInGuard(this.db, clock, deps.lockout);
    this.passkeys = new Passkeys(this.db, clock, { origin: this.origin, name: deps.rpName });
    this.totp = new TotpFactor(this.db, clock, new SecretBox(deps.sealKey));
    this.recovery = new RecoveryCodes(this.db, clock);
  }

  /** Who a session cookie signs in, or undefined (none, expired, or the user disabled since). */
  async sessionPrincipal(cookie: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
    const session = await this.sessions.resolve(cookie);
    if (!session) return undefined;
    const user = await this.accounts.byId(session.userId);
    if (!user || user.disabled) {
      await this.sessions.end(session.id);
      return undefined;
    }
    return {
      principal: { userId: user.id, name: user.name, role: user.role, via: 'session', sessionId: session.id },
      csrfToken: session.csrfToken,
    };
  }

  audit(entry: AuditEntry): Promise<unknown> {
    return this.deps.audit.record(entry);
  }
}
