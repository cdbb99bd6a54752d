import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { sqlCustodyReader } from '../../src/custody/sql-custody-reader.js';
import { inclusionProof } from '../../src/ledger/proofs.js';
import { formatVerifierKey, parseVerifierKey } from '../../src/ledger/note-key.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const END = '2026-03-10T12:00:00.000Z';

describe('migration 004: the ledger tables without rowid', () => {
  it('moves a store written before it without losing or changing a leaf or node', async () => {
    const dir = tempDir('vigil-migrate-');
    const clock = new ManualClock(END);
    let custody = await openTestCustody(dir, clock);
    const lines = generateOrgHistory({ seed: 4, users: 10, days: 1, endMs: Date.parse(END) }).map((e) =>
      JSON.stringify(e),
    );
    await custody.custody.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', `[${lines.join(',')}]`), {
      nextUrl: 'page:1',
      highWaterMs: null,
    });
    await custody.custody.checkpointIfDue('okta', { endOfRun: true });
    await custody.close();

    // Put the store back the way migration 003 left it: rowid tables, 004 not applied.
    const db = new Database(path.join(dir, STORE_FILE));
    const dump = (table: string) => db.prepare(`select * from ${table} order by 1, 2, 3`).all();
    const leaves = dump('ledger_leaves');
    const nodes = dump('ledger_nodes');
    db.exec(`
      create table old_leaves (source text not null, leaf_index integer not null, data blob not null,
        constraint ledger_leaves_pk primary key (source, leaf_index));
      insert into old_leaves select * from ledger_leaves;
      drop table ledger_leaves;
      alter table old_leaves rename to ledger_leaves;
      create table old_nodes (source text not null, level integer not null, idx integer not null,
        hash blob not null, constraint ledger_nodes_pk primary key (source, level, idx));
      insert into old_nodes select * from ledger_nodes;
      drop table ledger_nodes;
      alter table old_nodes rename to ledger_nodes;
      delete from kysely_migration where name = '004-ledger-without-rowid';
    `);
    expect(db.prepare(`select sql from sqlite_master where name = 'ledger_nodes'`).pluck().get()).not.toMatch(
      /without rowid/i,
    );
    db.close();

    custody = await openTestCustody(dir, clock);
    const after = new Database(path.join(dir, STORE_FILE), { readonly: true });
    for (const table of ['ledger_leaves', 'ledger_nodes'])
      expect(after.prepare(`select sql from sqlite_master where name = ?`).pluck().get(table)).toMatch(
        /without rowid/i,
      );
    expect(after.prepare('select * from ledger_leaves order by 1, 2, 3').all()).toEqual(leaves);
    expect(after.prepare('select * from ledger_nodes order by 1, 2, 3').all()).toEqual(nodes);
    after.close();

    const verifier = parseVerifierKey(formatVerifierKey(custody.signerFor('okta')));
    const report = await verifyCustody(sqlCustodyReader(custody.store, custody.custody), {
      verifierFor: () => verifier,
    });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    const size = await custody.custody.treeSize('okta');
    const proof = await inclusionProof(size - 1, size, custody.custody.hashReader('okta'));
    expect(proof.length).toBeGreaterThan(0);
    await custody.close();
  });
});
