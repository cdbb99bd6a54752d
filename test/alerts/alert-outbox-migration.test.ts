import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { storeMigrations } from '../../src/store/migrations/index.js';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { SQLITE_DIALECT } from '../../src/store/sqlite/sqlite-dialect.js';
import { tempDir } from '../support/temp-dir.js';
import { T0, buildDetection } from './build-detection.js';

it('migration 006 keeps the alerts a store already had: each gets its rule as its one reason, none held back', async () => {
  const dataDir = tempDir('vigil-alert-upgrade-');
  // A store as Vigil wrote it before the outbox: every migration before 006.
  const older = Object.fromEntries(
    Object.entries(storeMigrations(SQLITE_DIALECT)).filter(([name]) => name < '006'),
  );
  const db = new Kysely<Record<string, Record<string, unknown>>>({
    dialect: new SqliteDialect({ database: new Database(path.join(dataDir, STORE_FILE)) }),
  });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(older) },
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  expect(error).toBeUndefined();
  await db
    .insertInto('alerts')
    .values({
      id: 'a-000000000001',
      rule_id: 'okta-mfa-reset-all',
      title: 'All MFA factors reset for a user',
      severity: 'medium',
      entity_type: 'user',
      entity_id: '00u1',
      entity_display: 'bob@example.com',
      description: 'Every factor of a user was reset.',
      event_ids: '["e1"]',
      dedup_key: 'okta-mfa-reset-all:00u1',
      source: 'okta',
      status: 'open',
      count: 1,
      first_seen_ms: T0,
      last_seen_ms: T0,
      created_ms: T0,
      updated_ms: T0,
    })
    .execute();
  await db.destroy();

  const store = await openSqliteStore({ dataDir, access: 'write' });
  const alerts = new AlertStore(store.db, { clock: new ManualClock(T0) });
  const [alert] = await alerts.list();
  expect(alert).toMatchObject({
    id: 'a-000000000001',
    heldBack: false,
    reasons: [
      {
        ruleId: 'okta-mfa-reset-all',
        title: 'All MFA factors reset for a user',
        severity: 'medium',
        dedupKey: 'okta-mfa-reset-all:00u1',
      },
    ],
  });
  // And it still deduplicates: a repeat of its key folds into it.
  const repeat = await alerts.record(
    buildDetection({ ruleId: 'okta-mfa-reset-all', dedupKey: 'okta-mfa-reset-all:00u1', timeMs: T0 + 1000 }),
  );
  expect(repeat).toMatchObject({ isNew: false, alert: { id: 'a-000000000001', count: 2 } });
  await store.close();
});
