import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { ServerAuthErrorCode } from './errors.js';
import { isRole, ROLES, type Role } from './principal.js';

/** A local console account. */
export interface ConsoleUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  /** RFC 3339 UTC. */
  readonly created: string;
}

/** A user as `vigil user list` shows them: what they can sign in with, not the secrets. */
export interface ConsoleUserSummary extends ConsoleUser {
  readonly passkeys: number;
  readonly totp: boolean;
  readonly recoveryCodesLeft: number;
  /** Whether an unused, unexpired enrolment link is outstanding. */
  readonly enrolmentPending: boolean;
  readonly activeSessions: number;
}

/** A local name: never an email or a provider login, so it is not personal data to tokenise. */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const isUserName = (name: string): boolean => USER_NAME.test(name);

export function parseUserName(name: string, where = 'user name'): string {
  if (!USER_NAME.test(name))
    throw inputError(
      'USER_INPUT_INVALID',
      `${where} ${JSON.stringify(name.slice(0, 80))} must be 1-64 of A-Z a-z 0-9 . _ - (a local name, not an email)`,
    );
  return name;
}

export function parseRole(role: string, where = '--role'): Role {
  if (!isRole(role))
    throw inputError(
      'USER_INPUT_INVALID',
      `${where} ${JSON.stringify(role.slice(0, 40))} is not one of ${ROLES.join(', ')}`,
    );
  return role;
}

/** Users, and the removal of everything that lets one in (`disable`, `reset`). */
export class AccountStore {
  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
  ) {}

  async add(name: string, role: Role): Promise<ConsoleUser> {
    parseUserName(name);
    if (await this.byName(name))
      throw inputError('USER_EXISTS', `a console user named ${name} already exists`);
    const user = { id: randomUUID(), name, role, disabled: 0, created_ms: this.clock.now() };
    await this.db.insertInto('console_users').values(user).execute();
    return toUser(user);
  }

  async byName(name: string): Promise<ConsoleUser | undefined> {
    const row = await this.db
      .selectFrom('console_users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async byId(id: string): Promise<ConsoleUser | undefined> {
    const row = await this.db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  /** The user named `name`, or USER_NOT_FOUND. */
  async require(name: string): Promise<ConsoleUser> {
    const user = await this.byName(parseUserName(name));
    if (!user)
      throw inputError('USER_NOT_FOUND', `no console user named ${name} (vigil user list shows them)`);
    return user;
  }

  async list(): Promise<ConsoleUserSummary[]> {
    const now = this.clock.now();
    const db = this.db;
    const byUser = async (rows: Promise<{ user_id: string; n: number | string | bigint }[]>) =>
      new Map((await rows).map((row) => [row.user_id, Number(row.n)]));
    const passkeys = await byUser(
      db
        .selectFrom('console_passkeys')
        .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
        .groupBy('user_id')
        .execute(),
    );
    const totp = await byUser(
      db
        .selectFrom('console_totp')
        .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
        .groupBy('user_id')
        .execute(),
    );
    const codes = await byUser(
      db
        .selectFrom('console_recovery_codes')
        .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
        .where('used_ms', 'is', null)
        .groupBy('user_id')
        .execute(),
    );
    const enrolments = await byUser(
      db
        .selectFrom('console_enrolments')
        .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
        .where('used_ms', 'is', null)
        .where('expires_ms', '>', now)
        .groupBy('user_id')
        .execute(),
    );
    const sessions = await byUser(
      db
        .selectFrom('console_sessions')
        .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
        .where('idle_expires_ms', '>', now)
        .where('absolute_expires_ms', '>', now)
        .groupBy('user_id')
        .execute(),
    );
    const users = await db.selectFrom('console_users').selectAll().orderBy('name').execute();
    return users.map((row) => ({
      ...toUser(row),
      passkeys: passkeys.get(row.id) ?? 0,
      totp: (totp.get(row.id) ?? 0) > 0,
      recoveryCodesLeft: codes.get(row.id) ?? 0,
      enrolmentPending: (enrolments.get(row.id) ?? 0) > 0,
      activeSessions: sessions.get(row.id) ?? 0,
    }));
  }

  /** Disables `name` and ends their sessions; their API tokens stop working while disabled. */
  async disable(name: string): Promise<ConsoleUser> {
    const user = await this.require(name);
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('console_users').set({ disabled: 1 }).where('id', '=', user.id).execute();
      await tx.deleteFrom('console_sessions').where('user_id', '=', user.id).execute();
    });
    return { ...user, disabled: true };
  }

  /** Enables `name` again (it signs in with what it had; `reset` to start over). */
  async enable(name: string): Promise<ConsoleUser> {
    const user = await this.require(name);
    await this.db.updateTable('console_users').set({ disabled: 0 }).where('id', '=', user.id).execute();
    return { ...user, disabled: false };
  }

  /**
   * Removes everything `name` signs in with: passkeys, TOTP, recovery codes, sessions, outstanding
   * enrolment links and API tokens (a reset usually follows a lost or stolen authenticator; scripts
   * get new tokens). The account, its role and its audit history stay.
   */
  async reset(name: string): Promise<ConsoleUser> {
    const user = await this.require(name);
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      for (const table of [
        'console_passkeys',
        'console_totp',
        'console_recovery_codes',
        'console_sessions',
        'console_enrolments',
      ] as const)
        await tx.deleteFrom(table).where('user_id', '=', user.id).execute();
      await tx
        .updateTable('console_api_tokens')
        .set({ revoked_ms: now })
        .where('user_id', '=', user.id)
        .where('revoked_ms', 'is', null)
        .execute();
    });
    return user;
  }
}

function toUser(row: {
  id: string;
  name: string;
  role: string;
  disabled: number;
  created_ms: number;
}): ConsoleUser {
  if (!isRole(row.role))
    throw new VigilError<ServerAuthErrorCode>(
      'USER_INPUT_INVALID',
      `stored role ${row.role} of ${row.name} is not a role`,
    );
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    disabled: Number(row.disabled) !== 0,
    created: new Date(Number(row.created_ms)).toISOString(),
  };
}

export function inputError(code: ServerAuthErrorCode, message: string): VigilError<ServerAuthErrorCode> {
  return new VigilError<ServerAuthErrorCode>(code, message, { category: 'input' });
}
