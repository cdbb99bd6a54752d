import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { storedDetectionLog } from '../../src/custody/stored-detection-log.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { oktaEvent } from '../support/okta-events.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

// Issue 19, "Nothing checks the alert tables, the quarantine or the detection cursor": alerts and
// the detection mark are ledgered as they change, and verify holds the tables to the ledger.

const T = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

interface Report {
  ok: boolean;
  sources: { source: string; leaves: number }[];
  findings: { code: string; source: string; message: string; recordId?: string }[];
}

const sql = (dir: string, statements: string) => {
  const db = new Database(path.join(dir, 'vigil.db'));
  db.exec(statements);
  db.close();
};

const verify = async (dir: string) => {
  const r = await runVigil(['--data', dir, 'verify', '--no-remember', '--json']);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};

/** The lapsus-2022 drill collected by `vigil collect`, one alert acknowledged through `vigil alerts ack`. */
let collected: string;
let alerts: AlertView[];
const clock = new ManualClock(T);

beforeAll(async () => {
  const sim = await startSimulator({
    seed: 11,
    users: 20,
    days: 1,
    liveTraffic: false,
    clock,
    scenarios: [{ name: 'lapsus-2022', at: T - 6 * HOUR }],
  });
  collected = tempDir('vigil-ledgered-alerts-');
  writeFileSync(
    path.join(collected, 'vigil.yaml'),
    stringify({ sources: [{ name: 'okta', type: 'okta', url: sim.baseUrl, tokenEnv: 'OKTA_TOKEN' }] }),
    { mode: 0o600 },
  );
  const vigil = (...args: string[]) =>
    runVigil(['--data', collected, ...args], { clock, env: { OKTA_TOKEN: sim.token, USER: 'ann' } });
  const run = await vigil('collect', '--once', '--since', new Date(T - 2 * 24 * HOUR).toISOString());
  await sim.close();
  expect(run.code, run.stderr).toBe(0);
  alerts = JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
  expect(alerts.length).toBeGreaterThanOrEqual(3);
  const acked = await vigil('alerts', 'ack', alerts[0]!.id, '--note', 'on it');
  expect(acked.code, acked.stderr).toBe(0);
});

/** A copy of the collected store to tamper with. */
const copy = () => {
  const dir = tempDir('vigil-ledgered-alerts-copy-');
  cpSync(collected, dir, { recursive: true });
  return dir;
};

describe('vigil verify holds the alert tables and the detection mark to the ledger', () => {
  it('passes the store as Vigil left it, with the alerts and marks logs checked like every log', async () => {
    const { code, report } = await verify(collected);
    expect(code, JSON.stringify(report.findings)).toBe(0);
    const logs = Object.fromEntries(report.sources.map((s) => [s.source, s.leaves]));
    // Every alert raised, the acknowledgement, and at least one detection mark.
    expect(logs['okta/alerts']).toBeGreaterThanOrEqual(alerts.length + 1);
    expect(logs['okta/detection-marks']).toBeGreaterThanOrEqual(1);
    const proved = await runVigil([
      '--data',
      collected,
      'ledger',
      'prove',
      '--source',
      'okta/alerts',
      '--record',
      `${alerts[0]!.id}:transition:1`,
    ]);
    expect(proved.code, proved.stderr).toBe(0);
  });

  it('alerts wiped with their whole history: each one named ALERT_MISSING (the history check alone saw nothing)', async () => {
    const dir = copy();
    sql(
      dir,
      'delete from alert_deliveries; delete from alert_reasons; delete from alert_transitions; delete from alerts;',
    );
    const { code, report } = await verify(dir);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.code)).toEqual(alerts.map(() => 'ALERT_MISSING'));
    for (const alert of alerts)
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          source: 'okta/alerts',
          recordId: `${alert.id}:raised`,
          message: expect.stringContaining(`alert ${alert.id} was raised`) as string,
        }),
      );
  });

  it("an alert resolved behind Vigil's back with a well-formed forged transition: ALERT_LEDGER_MISMATCH", async () => {
    const dir = copy();
    const open = alerts.find((a) => a.status === 'open' && a.id !== alerts[0]!.id)!;
    sql(
      dir,
      `insert into alert_transitions (alert_id, seq, from_status, to_status, actor, at_ms, note)
         values ('${open.id}', 1, 'open', 'resolved', 'ann', ${T}, null);
       update alerts set status = 'resolved' where id = '${open.id}';`,
    );
    const { code, report } = await verify(dir);
    expect(code).toBe(1);
    // The forged step is allowed and numbered right: only the ledger shows it never happened.
    expect(report.findings.map((f) => f.code)).toEqual(['ALERT_LEDGER_MISMATCH', 'ALERT_LEDGER_MISMATCH']);
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(new RegExp(`alert ${open.id}: transition 1 .* was never ledgered`)),
      expect.stringContaining(`alert ${open.id} is resolved, but its ledgered transitions leave it open`),
    ]);
  });

  it('who acknowledged rewritten, an alert planted, a severity lowered: each named', async () => {
    const dir = copy();
    const [acked, second] = alerts;
    sql(
      dir,
      `update alert_transitions set actor = 'mallory' where alert_id = '${acked!.id}';
       update alerts set severity = 'low' where id = '${second!.id}';
       insert into alerts select 'a-planted', rule_id, title, severity, entity_type, entity_id, entity_display,
         description, event_ids, dedup_key, source, 'open', count, first_seen_ms, last_seen_ms, created_ms,
         updated_ms, held_back from alerts where id = '${second!.id}';`,
    );
    const { code, report } = await verify(dir);
    expect(code).toBe(1);
    const messages = report.findings.map((f) => `${f.code} ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^ALERT_LEDGER_MISMATCH alert ${acked!.id}: transition 1 reads .*"mallory".* its record says .*"ann".*: it was rewritten`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^ALERT_LEDGER_MISMATCH alert ${second!.id} is low, but its records make it high`),
        ),
        expect.stringMatching(
          /^ALERT_UNLEDGERED alert a-planted is in the alert table but was never ledgered/,
        ),
      ]),
    );
    expect(messages).toHaveLength(3);
  });

  it('the detection mark moved back (detection would re-run) or deleted: DETECTION_MARK_UNLEDGERED', async () => {
    const moved = copy();
    sql(moved, `update detection_cursors set leaf_index = leaf_index - 5 where source = 'okta';`);
    const back = await verify(moved);
    expect(back.code).toBe(1);
    expect(back.report.findings).toEqual([
      expect.objectContaining({
        code: 'DETECTION_MARK_UNLEDGERED',
        source: 'okta',
        message: expect.stringMatching(
          /the detection mark is leaf \d+, but the newest mark in okta\/detection-marks is leaf \d+/,
        ) as string,
      }),
    ]);
    const deleted = copy();
    sql(deleted, `delete from detection_cursors;`);
    const gone = await verify(deleted);
    expect(gone.code).toBe(1);
    expect(gone.report.findings).toEqual([
      expect.objectContaining({
        code: 'DETECTION_MARK_UNLEDGERED',
        message: expect.stringContaining('the detection mark is gone') as string,
      }),
    ]);
  });

  it('a store from before alerts were ledgered: readers refuse it, and the first writer ledgers what it holds', async () => {
    const dir = copy();
    sql(
      dir,
      `delete from ledger_records where kind in ('alerts', 'detection-marks');
       delete from ledger_leaves where source in ('okta/alerts', 'okta/detection-marks');
       delete from ledger_nodes where source in ('okta/alerts', 'okta/detection-marks');
       delete from checkpoints where source in ('okta/alerts', 'okta/detection-marks');
       drop index ledger_records_kind;
       delete from kysely_migration where name = '013-alert-ledger';`,
    );
    const refused = await runVigil(['--data', dir, 'verify', '--no-remember']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('STORE_OUTDATED');
    // Any writer migrates it and ledgers the alerts, transitions and marks as they stand.
    const resolved = await runVigil(['--data', dir, 'alerts', 'resolve', alerts[0]!.id], {
      clock,
      env: { USER: 'ann' },
    });
    expect(resolved.code, resolved.stderr).toBe(0);
    const { code, report } = await verify(dir);
    expect(code, JSON.stringify(report.findings)).toBe(0);
    expect(report.sources.find((s) => s.source === 'okta/alerts')!.leaves).toBe(alerts.length + 2);
  });
});

describe('a detection mark moved forward inside the tree', () => {
  it('passes before the change and fails after, naming the events detection would skip', async () => {
    const dir = tempDir('vigil-mark-forward-');
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      'sources:\n  - name: okta\n    type: okta\n    url: https://acme.okta.com\n    tokenEnv: OKTA_TOKEN\n',
      { mode: 0o600 },
    );
    const w = await openTestCustody(dir, clock);
    const events = Array.from({ length: 10 }, (_, i) =>
      oktaEvent({ published: new Date(T - (10 - i) * 60_000).toISOString() }),
    );
    await w.custody.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(events)), {
      nextUrl: 'n',
      highWaterMs: Date.parse(events.at(-1)!.published),
    });
    await w.custody.checkpointIfDue('okta', { endOfRun: true });
    // Detection has seen leaves 0..2 (a collector stopped before it went further).
    await storedDetectionLog(w.db, clock, w.custody).setMark('okta', 2, []);
    await w.close();

    const before = await verify(dir);
    expect(before.code, JSON.stringify(before.report.findings)).toBe(0);

    sql(dir, `update detection_cursors set leaf_index = 8 where source = 'okta';`);
    const after = await verify(dir);
    expect(after.code).toBe(1);
    // The mark is inside the tree, so the check of issue 14 (CURSOR_AHEAD) has nothing to say.
    expect(after.report.findings).toEqual([
      expect.objectContaining({
        code: 'DETECTION_MARK_UNLEDGERED',
        source: 'okta',
        recordId: 'leaf:2',
        message:
          "log okta: the detection mark is leaf 8, but the newest mark in okta/detection-marks is leaf 2 (record leaf:2): the mark was moved behind Vigil's back, so events 3..8 were never detected",
      }),
    ]);
  });
});
