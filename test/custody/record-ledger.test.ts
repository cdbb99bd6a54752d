import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { recordReads } from '../../src/custody/record-reads.js';
import { sqlCustodyReader } from '../../src/custody/sql-custody-reader.js';
import { readOnlyVerifierKeys } from '../../src/keys/key-providers.js';
import { inclusionProof } from '../../src/ledger/proofs.js';
import { verifyInclusion } from '../../src/ledger/proof-verification.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { openCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import { expectCode } from '../support/expect-code.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const END = '2026-03-10T12:00:00.000Z';
const snapshot = (n: number) => ({
  id: `snap-${n}`,
  time: new Date(Date.parse(END) + n * 60_000).toISOString(),
  body: JSON.stringify({ policies: [{ id: `pol-${n}`, mfa: n % 2 === 0 }] }),
});

async function storeWithRecords(dir: string, count = 5) {
  const clock = new ManualClock(END);
  const opened = await openTestCustody(dir, clock);
  const events = generateOrgHistory({ seed: 9, users: 5, days: 1, endMs: Date.parse(END) }).map((e) =>
    JSON.stringify(e),
  );
  await opened.custody.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', `[${events.join(',')}]`), {
    nextUrl: 'page:1',
    highWaterMs: null,
  });
  await opened.custody.checkpointIfDue('okta', { endOfRun: true });
  const result = await opened.custody.appendRecords(
    'okta',
    'config-snapshots',
    Array.from({ length: count }, (_, i) => snapshot(i)),
  );
  return { ...opened, clock, result, events: events.length };
}

async function verify(dir: string, store: Awaited<ReturnType<typeof openTestCustody>>) {
  return verifyCustody(sqlCustodyReader(store.store, store.custody), {
    verifierFor: readOnlyVerifierKeys(dir),
  });
}

const sqlite = (dir: string) => new Database(path.join(dir, STORE_FILE));

describe('record logs beside the events log', () => {
  it('appends records with their leaves and a signed checkpoint, and verify checks both logs', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir);
    expect(opened.result).toEqual({ appended: 5, treeSize: 5 });
    const report = await verify(dir, opened);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.sources.map((s) => [s.source, s.leaves, s.events])).toEqual([
      ['okta', opened.events, opened.events],
      ['okta/config-snapshots', 5, 5],
    ]);
    const records = await recordReads(opened.db).list('okta', 'config-snapshots');
    expect(records.map((r) => [r.id, r.leafIndex])).toEqual([0, 1, 2, 3, 4].map((i) => [`snap-${i}`, i]));
    await opened.close();
  });

  it('signs each append with the log key of its own origin, and proves a record by its id', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir);
    const log = 'okta/config-snapshots';
    const note = (
      await opened.db
        .selectFrom('checkpoints')
        .select('note')
        .where('source', '=', log)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).note;
    const verifier = readOnlyVerifierKeys(dir)(log)!;
    expect(verifier.name).toBe('vigil.local/okta/config-snapshots');
    const body = openCheckpoint(note, verifier);
    expect(body.size).toBe(5);
    const index = await recordReads(opened.db).leafOfRecord(log, 'snap-3');
    const leaf = await opened.db
      .selectFrom('ledger_leaves')
      .select('data')
      .where('source', '=', log)
      .where('leaf_index', '=', index)
      .executeTakeFirstOrThrow();
    const proof = await inclusionProof(index, 5, opened.custody.hashReader(log));
    expect(() => verifyInclusion(hashLeaf(leaf.data), index, 5, proof, body.rootHash)).not.toThrow();
    await expectCode(recordReads(opened.db).leafOfRecord(log, 'nosuch'), 'CUSTODY_NO_SUCH_RECORD');
    await opened.close();
  });

  it('skips a record appended again unchanged and refuses one whose content changed, writing nothing', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir, 2);
    expect(
      await opened.custody.appendRecords('okta', 'config-snapshots', [snapshot(1), snapshot(2)]),
    ).toEqual({
      appended: 1,
      treeSize: 3,
    });
    const changed = { ...snapshot(0), body: '{"policies":[]}' };
    await expectCode(
      opened.custody.appendRecords('okta', 'config-snapshots', [snapshot(3), changed]),
      'CUSTODY_RECORD_CONFLICT',
    );
    const records = await recordReads(opened.db).list('okta', 'config-snapshots');
    expect(records.map((r) => r.id)).toEqual(['snap-0', 'snap-1', 'snap-2']);
    expect((await verify(dir, opened)).ok).toBe(true);
    await opened.close();
  });

  it('refuses a record whose time is not RFC 3339 UTC before anything is written', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir, 1);
    await expectCode(
      opened.custody.appendRecords('okta', 'audit', [{ id: 'a1', time: 'yesterday', body: '{}' }]),
      'LEDGER_ENVELOPE_INVALID',
    );
    expect(await recordReads(opened.db).list('okta', 'audit')).toEqual([]);
    await opened.close();
  });

  it('finds a changed, removed or unledgered record and names it', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir);
    await opened.close();
    const db = sqlite(dir);
    db.prepare(`update ledger_records set body = '{"policies":[]}' where record_id = 'snap-1'`).run();
    db.prepare(
      `update ledger_records set time = '2020-01-01T00:00:00.000Z' where record_id = 'snap-2'`,
    ).run();
    db.prepare(`delete from ledger_records where record_id = 'snap-3'`).run();
    db.prepare(
      `insert into ledger_records (log, leaf_index, kind, record_id, time, body, stored_at_ms)
       values ('okta/config-snapshots', 9, 'config-snapshots', 'planted', ?, '{}', 0)`,
    ).run(END);
    db.close();
    const reopened = await openTestCustody(dir, new ManualClock(END));
    const report = await verify(dir, reopened);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.source, f.code, f.recordId])).toEqual([
      ['okta/config-snapshots', 'RECORD_CONTENT_MISMATCH', 'snap-1'],
      ['okta/config-snapshots', 'RECORD_ID_MISMATCH', 'snap-2'],
      ['okta/config-snapshots', 'RECORD_MISSING', 'snap-3'],
      ['okta/config-snapshots', 'RECORD_UNLEDGERED', 'planted'],
    ]);
    await reopened.close();
  });

  it('finds a record log whose newest leaves and checkpoint were replaced', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir);
    await opened.close();
    const db = sqlite(dir);
    // An event leaf moved into the record log: not a record envelope.
    db.prepare(
      `update ledger_leaves set data = (select data from ledger_leaves where source = 'okta' and leaf_index = 0)
       where source = 'okta/config-snapshots' and leaf_index = 4`,
    ).run();
    db.close();
    const reopened = await openTestCustody(dir, new ManualClock(END));
    const codes = (await verify(dir, reopened)).findings.map((f) => f.code);
    expect(codes).toContain('LEAF_ENVELOPE_INVALID');
    expect(codes).toContain('CHECKPOINT_ROOT_MISMATCH');
    await reopened.close();
  });

  it('a store written before record logs migrates and still verifies', async () => {
    const dir = tempDir('vigil-records-');
    const opened = await storeWithRecords(dir, 0);
    await opened.close();
    const db = sqlite(dir);
    db.exec(`drop table ledger_records; delete from kysely_migration where name = '005-ledger-records';`);
    db.close();
    const reopened = await openTestCustody(dir, new ManualClock(END));
    expect((await verify(dir, reopened)).ok).toBe(true);
    await reopened.custody.appendRecords('okta', 'actions', [snapshot(0)]);
    const report = await verify(dir, reopened);
    expect(report.findings).toEqual([]);
    expect(report.sources.map((s) => s.source)).toEqual(['okta', 'okta/actions']);
    await reopened.close();
  });
});
