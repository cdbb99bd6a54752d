import { describe, expect, it } from 'vitest';
import { AUDIT_LOG, AuditLog } from '../../src/audit/audit-log.js';
import { ManualClock } from '../../src/core/clock.js';
import { recordReads } from '../../src/custody/record-reads.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';
import { expectCode } from '../support/expect-code.js';
import { sqlCustodyReader } from '../../src/custody/sql-custody-reader.js';
import { readOnlyVerifierKeys } from '../../src/keys/key-providers.js';
import { verifyCustody } from '../../src/verify/custody-verifier.js';
import { runVigil } from '../cli/cli-harness.js';

describe('AuditLog', () => {
  it('ledgers each record in vigil/audit and lists them newest first, filtered', async () => {
    const clock = new ManualClock('2026-12-02T10:00:00Z');
    const world = await openTestCustody(tempDir('audit'), clock);
    try {
      const audit = new AuditLog(world.custody, world.db, clock);
      const first = await audit.record({
        actor: 'alice',
        action: 'console.sign-in',
        details: { method: 'passkey' },
      });
      clock.advance(60_000);
      const second = await audit.record({
        actor: 'alice',
        action: 'console.reveal',
        target: 'evt-1',
        reason: 'case 42',
      });
      clock.advance(60_000);
      await audit.record({ actor: 'bob', action: 'console.sign-in' });

      expect(first).toMatchObject({
        actor: 'alice',
        action: 'console.sign-in',
        time: '2026-12-02T10:00:00.000Z',
        leafIndex: 0,
      });
      expect(second.leafIndex).toBe(1);
      expect((await audit.list()).map((r) => r.actor)).toEqual(['bob', 'alice', 'alice']);
      expect(await audit.list({ action: 'console.reveal' })).toEqual([second]);
      expect((await audit.list({ actor: 'alice', limit: 1 })).map((r) => r.action)).toEqual([
        'console.reveal',
      ]);
      expect(
        (await audit.list({ from: '2026-12-02T10:01:00.000Z', to: '2026-12-02T10:01:30.000Z' })).map(
          (r) => r.id,
        ),
      ).toEqual([second.id]);

      // Each record is a ledgered record with a signed checkpoint over it.
      const stored = await recordReads(world.db).list('vigil', 'audit');
      expect(stored.map((r) => r.log)).toEqual([AUDIT_LOG, AUDIT_LOG, AUDIT_LOG]);
      const checkpoints = await world.db
        .selectFrom('checkpoints')
        .select(['tree_size'])
        .where('source', '=', AUDIT_LOG)
        .execute();
      expect(checkpoints.map((c) => Number(c.tree_size))).toEqual([1, 2, 3]);

      await expect(audit.record({ actor: 'alice', action: 'Not Dotted' })).rejects.toThrow(TypeError);
      await expect(audit.record({ actor: ' ', action: 'console.sign-in' })).rejects.toThrow(TypeError);

      // A record changed in the table no longer parses as what was ledgered: named, not shown.
      await world.db
        .updateTable('ledger_records')
        .set({ body: '{"v":2}' })
        .where('record_id', '=', first.id)
        .execute();
      await expectCode(audit.list(), 'AUDIT_RECORD_INVALID');
    } finally {
      await world.close();
    }
  });

  it('is checked by verify like every record log: a changed record is named', async () => {
    const dir = tempDir('audit');
    const clock = new ManualClock('2026-12-02T10:00:00Z');
    const world = await openTestCustody(dir, clock);
    try {
      const audit = new AuditLog(world.custody, world.db, clock);
      const reveal = await audit.record({
        actor: 'alice',
        action: 'console.reveal',
        target: 'evt-1',
        reason: 'case 42',
      });
      const check = () =>
        verifyCustody(sqlCustodyReader(world.store, world.custody), {
          verifierFor: readOnlyVerifierKeys(dir),
        });
      const clean = await check();
      expect(clean.findings).toEqual([]);
      expect(clean.sources.map((s) => s.source)).toContain(AUDIT_LOG);
      // Someone with write access to the store rewrites who revealed what.
      const forged = JSON.stringify({
        ...JSON.parse((await recordReads(world.db).list('vigil', 'audit'))[0]!.body),
        actor: 'bob',
      });
      await world.db
        .updateTable('ledger_records')
        .set({ body: forged })
        .where('record_id', '=', reveal.id)
        .execute();
      const tampered = await check();
      expect(tampered.ok).toBe(false);
      expect(tampered.findings.map((f) => f.code)).toContain('RECORD_CONTENT_MISMATCH');
    } finally {
      await world.close();
    }
  });

  it('owns the source name vigil: no configured source may take it', async () => {
    const dir = tempDir('audit');
    const added = await runVigil([
      'source',
      'add',
      'okta',
      '--name',
      'vigil',
      '--url',
      'https://example.okta.com',
      '--token-env',
      'OKTA_TOKEN',
      '--data',
      dir,
    ]);
    expect(added.code).toBe(2);
    expect(added.stderr).toContain('reserved');
  });
});

describe('vigil audit', () => {
  it('lists the audit log newest first, filtered, as a table or JSON, and reads only', async () => {
    const dir = tempDir('audit');
    const clock = new ManualClock('2026-12-02T10:00:00Z');
    const world = await openTestCustody(dir, clock);
    const audit = new AuditLog(world.custody, world.db, clock);
    await audit.record({ actor: 'alice', action: 'console.sign-in' });
    clock.advance(1000);
    await audit.record({ actor: 'alice', action: 'console.reveal', target: 'evt-1', reason: 'case 42' });
    await world.close();

    const json = await runVigil(['audit', '--json', '--data', dir]);
    expect(json.code, json.stderr).toBe(0);
    const records = (JSON.parse(json.stdout) as { records: { action: string }[] }).records;
    expect(records.map((r) => r.action)).toEqual(['console.reveal', 'console.sign-in']);
    const table = await runVigil(['audit', '--action', 'console.reveal', '--data', dir]);
    expect(table.stdout).toContain('case 42');
    expect(table.stdout).not.toContain('console.sign-in');
    const bad = await runVigil(['audit', '--from', 'yesterday', '--data', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from');
  });
});
