import type { Kysely } from 'kysely';
import { authenticator } from 'otplib';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { SecretBox } from './secret-box.js';

/** RFC 6238 §4: 30-second steps. */
const STEP_MS = 30_000;

/**
 * TOTP as the fallback second way in (RFC 6238: HMAC-SHA1, 30 s, 6 digits, what every authenticator
 * app speaks). Secrets are sealed at rest (`SecretBox`), one step of clock drift is allowed either
 * way, and each step's code works once: a code seen over someone's shoulder is spent.
 */
export class TotpFactor {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
    private readonly box: SecretBox,
  ) {}

  /** A new base32 secret (160 bits, RFC 4226 §4's recommendation), sealed for `userId`. */
  offer(userId: string): string {
    return this.box.seal(authenticator.generateSecret(20), userId);
  }

  /** The secret in an offer, for the enrolment page (and the otpauth URI) only. */
  revealOffer(userId: string, sealed: string): string {
    return this.box.open(sealed, userId);
  }

  /** The `otpauth://` URI authenticator apps import. */
  otpauthUri(issuer: string, account: string, secret: string): string {
    return authenticator.keyuri(account, issuer, secret);
  }

  /** Whether `code` is right for the offered secret now; if so, it becomes `userId`'s TOTP factor. */
  async confirm(userId: string, sealed: string, code: string): Promise<boolean> {
    const step = this.#matchingStep(this.box.open(sealed, userId), code);
    if (step === undefined) return false;
    const now = this.clock.now();
    await this.db
      .insertInto('console_totp')
      .values({ user_id: userId, secret_sealed: sealed, last_step: step, created_ms: now })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ secret_sealed: sealed, last_step: step, created_ms: now }),
      )
      .execute();
    return true;
  }

  async enrolled(userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('console_totp')
      .select('user_id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether `code` is `userId`'s code for now and its step was not used before; uses it up. */
  async check(userId: string, code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('console_totp')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return false;
    const step = this.#matchingStep(this.box.open(row.secret_sealed, userId), code);
    if (step === undefined || step <= Number(row.last_step)) return false;
    const moved = await this.db
      .updateTable('console_totp')
      .set({ last_step: step })
      .where('user_id', '=', userId)
      .where('last_step', '<', step)
      .executeTakeFirst();
    return Number(moved.numUpdatedRows) === 1;
  }

  #matchingStep(secret: string, code: string): number | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const now = this.clock.now();
    const delta = authenticator.clone({ epoch: now, window: 1 }).checkDelta(code, secret);
    return delta === null ? undefined : Math.floor(now / STEP_MS) + delta;
  }
}
