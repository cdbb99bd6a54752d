import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import { secretHash } from './opaque-secret.js';

export const RECOVERY_CODE_COUNT = 10;

/** Crockford-style base32 without I, L, O, U: nothing to misread when typed from paper. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `xxxx-xxxx-xxxx`: 60 random bits, far beyond what the sign-in lockout lets anyone guess. */
function newCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/** Case, spaces and dashes do not matter to a typed code. */
const normalized = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

/**
 * Single-use recovery codes, shown once at enrolment and stored as SHA-256 only. A new set replaces
 * the old one.
 */
export class RecoveryCodes {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
  ) {}

  async issue(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('console_recovery_codes').where('user_id', '=', userId).execute();
      await tx
        .insertInto('console_recovery_codes')
        .values(
          codes.map((code) => ({ user_id: userId, code_hash: secretHash(normalized(code)), used_ms: null })),
        )
        .execute();
    });
    return codes;
  }

  /** Uses `code` up if it is one of `userId`'s unused codes. */
  async consume(userId: string, code: string): Promise<boolean> {
    if (code.length > 64) return false;
    const result = await this.db
      .updateTable('console_recovery_codes')
      .set({ used_ms: this.clock.now() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', secretHash(normalized(code)))
      .where('used_ms', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
