import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import { newSecret, secretHash } from './opaque-secret.js';

/** How long an enrolment link works (`vigil user add`, `vigil user reset`). */
export const ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;

const ENROLMENT_PREFIX = 've_';

/** An outstanding enrolment link, found by its token. */
export interface PendingEnrolment {
  readonly tokenHash: string;
  readonly userId: string;
  readonly expiresMs: number;
  /** The TOTP secret offered on the enrolment page (sealed), once the page has been shown. */
  readonly totpSealed: string | null;
}

/** The console address a link starts from, plus `/enrol/<token>`. */
export function enrolmentLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/enrol/${token}`;
}

/**
 * One-time enrolment links: the token goes to the person once (printed by the CLI), its hash is
 * stored with an expiry, and the first completed enrolment uses it up. A new link replaces any
 * outstanding one of the same user.
 */
export class Enrolments {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
  ) {}

  async create(userId: string): Promise<{ token: string; expires: string }> {
    const token = newSecret(ENROLMENT_PREFIX);
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('console_enrolments')
        .where('user_id', '=', userId)
        .where('used_ms', 'is', null)
        .execute();
      await tx
        .insertInto('console_enrolments')
        .values({
          token_hash: secretHash(token),
          user_id: userId,
          created_ms: now,
          expires_ms: now + ENROLMENT_TTL_MS,
          used_ms: null,
          totp_sealed: null,
        })
        .execute();
    });
    return { token, expires: new Date(now + ENROLMENT_TTL_MS).toISOString() };
  }

  /** The unused, unexpired enrolment of `token`, or undefined. */
  async find(token: string): Promise<PendingEnrolment | undefined> {
    if (!token.startsWith(ENROLMENT_PREFIX) || token.length > 100) return undefined;
    const row = await this.db
      .selectFrom('console_enrolments')
      .selectAll()
      .where('token_hash', '=', secretHash(token))
      .where('used_ms', 'is', null)
      .where('expires_ms', '>', this.clock.now())
      .executeTakeFirst();
    return (
      row && {
        tokenHash: row.token_hash,
        userId: row.user_id,
        expiresMs: Number(row.expires_ms),
        totpSealed: row.totp_sealed,
      }
    );
  }

  async offerTotp(enrolment: PendingEnrolment, sealed: string): Promise<void> {
    await this.db
      .updateTable('console_enrolments')
      .set({ totp_sealed: sealed })
      .where('token_hash', '=', enrolment.tokenHash)
      .execute();
  }

  /** Uses the link up; false when another request already did (the caller then stops). */
  async complete(enrolment: PendingEnrolment): Promise<boolean> {
    const result = await this.db
      .updateTable('console_enrolments')
      .set({ used_ms: this.clock.now(), totp_sealed: null })
      .where('token_hash', '=', enrolment.tokenHash)
      .where('used_ms', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
