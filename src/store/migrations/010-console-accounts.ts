import type { Kysely, Migration } from 'kysely';

/**
 * The console's local accounts (issue 18: the console never signs anyone in through the watched
 * provider). Written for an attacker who copies the database: every secret that lets someone in is
 * either a one-way hash of a high-entropy value (enrolment links, sessions, API tokens, recovery
 * codes) or sealed with a key kept in the key directory, not in the database (TOTP secrets); passkeys
 * hold only public keys.
 */
export const consoleAccountsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('console_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('console_passkeys')
      .addColumn('id', 'text', (c) => c.primaryKey()) // the credential id, base64url
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'blob', (c) => c.notNull()) // COSE
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_used_ms', 'bigint')
      .execute();
    await db.schema.createIndex('console_passkeys_user').on('console_passkeys').column('user_id').execute();
    await db.schema
      .createTable('console_totp')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('last_step', 'bigint', (c) => c.notNull()) // the newest 30 s step used: a code works once
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('console_recovery_codes')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('used_ms', 'bigint')
      .addPrimaryKeyConstraint('console_recovery_codes_pk', ['user_id', 'code_hash'])
      .execute();
    await db.schema
      .createTable('console_enrolments')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .addColumn('used_ms', 'bigint')
      .addColumn('totp_sealed', 'text') // the TOTP secret offered on the enrolment page, until confirmed
      .execute();
    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_ms', 'bigint', (c) => c.notNull())
      .addColumn('idle_expires_ms', 'bigint', (c) => c.notNull())
      .addColumn('absolute_expires_ms', 'bigint', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').execute();
    await db.schema
      .createTable('console_api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_used_ms', 'bigint')
      .addColumn('revoked_ms', 'bigint')
      .execute();
    await db.schema
      .createTable('console_sign_in_attempts')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_sign_in_attempts_name')
      .on('console_sign_in_attempts')
      .columns(['name', 'at_ms'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'console_sign_in_attempts',
      'console_api_tokens',
      'console_sessions',
      'console_enrolments',
      'console_recovery_codes',
      'console_totp',
      'console_passkeys',
      'console_users',
    ])
      await db.schema.dropTable(table).execute();
  },
};
