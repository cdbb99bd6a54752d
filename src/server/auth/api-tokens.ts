import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import { inputError, type ConsoleUser } from './account-store.js';
import { newSecret, secretHash } from './opaque-secret.js';
import { isRole, lowerRole, roleAtLeast, type Principal, type Role } from './principal.js';

const TOKEN_PREFIX = 'vigil_at_';

/** A token as listed: never the token itself, which is shown once when made. */
export interface ApiTokenSummary {
  readonly id: string;
  readonly user: string;
  readonly label: string;
  readonly role: Role;
  readonly created: string;
  readonly lastUsed: string | null;
  readonly revoked: string | null;
}

/** `last_used` writes closer together than this are skipped. */
const TOUCH_EVERY_MS = 60_000;

/**
 * API tokens for scripts (`Authorization: Bearer vigil_at_…`): stored as SHA-256 only, shown once,
 * each with a role no higher than its owner's. A request acts with the lower of the token's role and
 * its owner's current role, so demoting or disabling a user demotes or stops their tokens at once.
 */
export class ApiTokens {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
  ) {}

  async create(
    user: ConsoleUser,
    role: Role,
    label: string,
  ): Promise<{ token: string; summary: ApiTokenSummary }> {
    if (user.disabled) throw inputError('TOKEN_ROLE_REFUSED', `console user ${user.name} is disabled`);
    if (!roleAtLeast(user.role, role))
      throw inputError('TOKEN_ROLE_REFUSED', `--role ${role} is above ${user.name}'s role ${user.role}`);
    if (!/^[\x20-\x7e]{1,80}$/.test(label))
      throw inputError('USER_INPUT_INVALID', '--label must be 1-80 printable ASCII characters');
    const token = newSecret(TOKEN_PREFIX);
    const row = {
      id: randomUUID(),
      user_id: user.id,
      label,
      role,
      token_hash: secretHash(token),
      created_ms: this.clock.now(),
      last_used_ms: null,
      revoked_ms: null,
    };
    await this.db.insertInto('console_api_tokens').values(row).execute();
    return { token, summary: summary({ ...row, name: user.name }) };
  }

  async list(userId?: string): Promise<ApiTokenSummary[]> {
    let query = this.db
      .selectFrom('console_api_tokens as t')
      .innerJoin('console_users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.label', 't.role', 't.created_ms', 't.last_used_ms', 't.revoked_ms', 'u.name'])
      .orderBy('t.created_ms')
      .orderBy('t.id');
    if (userId !== undefined) query = query.where('t.user_id', '=', userId);
    return (await query.execute()).map(summary);
  }

  /** Revokes token `id`; TOKEN_NOT_FOUND when there is none. */
  async revoke(id: string): Promise<ApiTokenSummary> {
    const now = this.clock.now();
    await this.db
      .updateTable('console_api_tokens')
      .set({ revoked_ms: now })
      .where('id', '=', id)
      .where('revoked_ms', 'is', null)
      .execute();
    const found = (await this.list()).find((token) => token.id === id);
    if (!found)
      throw inputError('TOKEN_NOT_FOUND', `no API token with id ${id} (vigil user token list shows them)`);
    return found;
  }

  /** Who a bearer token acts as, or undefined (unknown, revoked, or its owner disabled). */
  async resolve(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 120) return undefined;
    const row = await this.db
      .selectFrom('console_api_tokens as t')
      .innerJoin('console_users as u', 'u.id', 't.user_id')
      .select([
        't.id',
        't.role',
        't.last_used_ms',
        'u.id as userId',
        'u.name',
        'u.role as userRole',
        'u.disabled',
      ])
      .where('t.token_hash', '=', secretHash(token))
      .where('t.revoked_ms', 'is', null)
      .executeTakeFirst();
    if (!row || Number(row.disabled) !== 0 || !isRole(row.role) || !isRole(row.userRole)) return undefined;
    const now = this.clock.now();
    if (row.last_used_ms === null || now - Number(row.last_used_ms) >= TOUCH_EVERY_MS)
      await this.db
        .updateTable('console_api_tokens')
        .set({ last_used_ms: now })
        .where('id', '=', row.id)
        .execute();
    return {
      userId: row.userId,
      name: row.name,
      role: lowerRole(row.role, row.userRole),
      via: 'api-token',
      tokenId: row.id,
    };
  }
}

function summary(row: {
  id: string;
  name: string;
  label: string;
  role: string;
  created_ms: number;
  last_used_ms: number | null;
  revoked_ms: number | null;
}): ApiTokenSummary {
  const time = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: row.id,
    user: row.name,
    label: row.label,
    role: isRole(row.role) ? row.role : 'viewer',
    created: new Date(Number(row.created_ms)).toISOString(),
    lastUsed: time(row.last_used_ms),
    revoked: time(row.revoked_ms),
  };
}
