import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { runVigil } from '../cli/cli-harness.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

/** A store as an older Vigil left it: the newest migration not applied. */
async function olderStore(): Promise<string> {
  const dir = tempDir('vigil-older-');
  await (await openSqliteStore({ dataDir: dir, access: 'write' })).close();
  const db = new Database(path.join(dir, STORE_FILE));
  db.exec(`drop table ledger_records; delete from kysely_migration where name = '005-ledger-records';`);
  db.close();
  return dir;
}

const migrated = (dir: string) => {
  const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
  const names = db.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  const table = db.prepare(`select count(*) from sqlite_master where name = 'ledger_records'`).pluck().get();
  db.close();
  return { names, hasTable: table === 1 };
};

describe('a reader never migrates the store it reads', () => {
  it('refuses a store an older Vigil wrote, naming it, and changes nothing in it', async () => {
    const dir = await olderStore();
    const before = migrated(dir);
    expect(before.hasTable).toBe(false);
    await expectCode(openSqliteStore({ dataDir: dir, access: 'read' }), 'STORE_OUTDATED');
    const verified = await runVigil(['--data', dir, 'verify']);
    expect(verified.code).toBe(2);
    expect(verified.stderr).toContain('STORE_OUTDATED');
    expect(verified.stderr).toContain(path.join(dir, STORE_FILE));
    expect(migrated(dir)).toEqual(before);
  });

  it('a writer migrates it, and readers then read it', async () => {
    const dir = await olderStore();
    await (await openSqliteStore({ dataDir: dir, access: 'write' })).close();
    expect(migrated(dir).hasTable).toBe(true);
    await (await openSqliteStore({ dataDir: dir, access: 'read' })).close();
  });
});
