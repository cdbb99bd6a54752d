import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AlertLedger } from '../../src/alerts/alert-ledger.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { checkAlertHistory, type StoredAlertTransition } from '../../src/verify/alert-history-check.js';
import { runVigil } from '../cli/cli-harness.js';
import { oktaEvent } from '../support/okta-events.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const lifecycle = {
  initial: 'open',
  canTransition: (from: string, to: string) =>
    (from === 'open' && (to === 'acknowledged' || to === 'resolved')) ||
    (from === 'acknowledged' && to === 'resolved'),
};
const step = (seq: number, from: string, to: string, alertId = 'a1'): StoredAlertTransition => ({
  alertId,
  seq,
  from,
  to,
});
const check = (status: string, steps: StoredAlertTransition[]) =>
  checkAlertHistory([{ id: 'a1', status, source: 'okta' }], steps, lifecycle).map((f) => f.message);

describe('checkAlertHistory', () => {
  it('accepts statuses their transitions lead to', () => {
    expect(check('open', [])).toEqual([]);
    expect(check('resolved', [step(1, 'open', 'acknowledged'), step(2, 'acknowledged', 'resolved')])).toEqual(
      [],
    );
  });
  it.each([
    [
      'a status changed without a transition',
      'resolved',
      [],
      /is resolved, but its recorded transitions leave it open/,
    ],
    ['a transition deleted', 'resolved', [step(2, 'acknowledged', 'resolved')], /transition 1 is numbered 2/],
    [
      'a transition rewritten',
      'resolved',
      [step(1, 'resolved', 'open'), step(2, 'open', 'resolved')],
      /starts from resolved/,
    ],
    [
      'a step not allowed',
      'open',
      [step(1, 'open', 'resolved'), step(2, 'resolved', 'open')],
      /from resolved to open is not allowed/,
    ],
  ])('%s fails naming the alert', (_name, status, steps, why) => {
    const [message, ...rest] = check(status, steps);
    expect(rest).toEqual([]);
    expect(message).toMatch(/^alert a1/);
    expect(message).toMatch(why);
  });
  it('transitions of an alert that no longer exists', () => {
    expect(checkAlertHistory([], [step(1, 'open', 'resolved', 'gone')], lifecycle)[0]).toMatchObject({
      code: 'ALERT_HISTORY_INCONSISTENT',
      message: expect.stringContaining('alert gone has recorded transitions but no longer exists') as string,
    });
  });
});

describe('vigil verify checks the alerts', () => {
  it('passes a store whose alerts add up, and fails once a status is edited in place', async () => {
    const clock = new ManualClock('2026-03-10T12:00:00Z');
    const dir = tempDir('vigil-alert-history-');
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      'sources:\n  - name: okta\n    type: okta\n    url: https://acme.okta.com\n    tokenEnv: OKTA_TOKEN\n',
      { mode: 0o600 },
    );
    const w = await openTestCustody(dir, clock);
    const event = oktaEvent();
    await w.custody.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify([event])), {
      nextUrl: 'n',
      highWaterMs: Date.parse(event.published),
    });
    await w.custody.checkpointIfDue('okta', { endOfRun: true });
    const alerts = new AlertStore(w.db, { clock, ledger: new AlertLedger(w.custody, clock) });
    const { alert } = await alerts.record({
      ruleId: 'r1',
      title: 'Test',
      severity: 'high',
      entity: { type: 'user', id: 'u1' },
      description: 'd',
      eventIds: [event.uuid],
      timeMs: clock.now(),
      dedupKey: 'k',
      source: 'okta',
    });
    await alerts.transition(alert.id, 'acknowledged', 'ann');
    await w.close();

    const ok = await runVigil(['--data', dir, 'verify', '--no-remember']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    const db = new Database(path.join(dir, 'vigil.db'));
    db.prepare("update alerts set status = 'resolved'").run();
    db.close();
    const r = await runVigil(['--data', dir, 'verify', '--no-remember', '--json']);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { code: string; message: string }[] }).findings;
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'ALERT_HISTORY_INCONSISTENT',
        message: expect.stringContaining(`alert ${alert.id} is resolved`) as string,
      }),
      expect.objectContaining({
        code: 'ALERT_LEDGER_MISMATCH',
        message: expect.stringContaining(
          `alert ${alert.id} is resolved, but its ledgered transitions leave it acknowledged`,
        ) as string,
      }),
    ]);
  });
});
