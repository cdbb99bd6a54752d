import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Alert } from '../../src/alerts/alert.js';
import { AlertIntake } from '../../src/alerts/alert-intake.js';
import { AlertOutbox } from '../../src/alerts/alert-outbox.js';
import { AlertRouter } from '../../src/alerts/alert-router.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { DEFAULT_DELIVERY_POLICY } from '../../src/alerts/delivery-policy.js';
import type { AlertSink } from '../../src/alerts/sinks/alert-sink.js';
import { openAlertDb } from './alert-db.js';
import { T0, buildDetection } from './build-detection.js';

const named = (name: string): AlertSink => ({ name, send: (_alert: Alert) => Promise.resolve() });

describe('AlertIntake', () => {
  it('queues each NEW alert for the sinks whose minSeverity it meets, in the outbox, and repeats for none', async () => {
    const clock = new ManualClock(T0);
    const db = await openAlertDb();
    const router = new AlertRouter([
      { sink: named('all'), minSeverity: 'informational' },
      { sink: named('pager'), minSeverity: 'high' },
    ]);
    const outbox = new AlertOutbox(db, { clock, policy: DEFAULT_DELIVERY_POLICY });
    const intake = new AlertIntake(new AlertStore(db, { clock }), router, outbox, {
      clock,
      policy: DEFAULT_DELIVERY_POLICY,
    });

    const medium = await intake.ingest(buildDetection({ severity: 'medium', dedupKey: 'm' }));
    const repeat = await intake.ingest(
      buildDetection({ severity: 'medium', dedupKey: 'm', timeMs: T0 + 1000 }),
    );
    const critical = await intake.ingest(
      buildDetection({
        severity: 'critical',
        dedupKey: 'c',
        eventIds: ['e9'],
        entity: { type: 'user', id: '00u2', display: 'carol@example.com' },
      }),
    );

    expect(medium.queued).toEqual(['all']);
    expect(repeat).toMatchObject({ isNew: false, queued: [] });
    expect(critical.queued).toEqual(['all', 'pager']);
    const rows = await outbox.list();
    expect(rows.map((d) => `${d.sink}:${d.alertId}:${d.state}`).sort()).toEqual(
      [
        `all:${medium.alert.id}:pending`,
        `all:${critical.alert.id}:pending`,
        `pager:${critical.alert.id}:pending`,
      ].sort(),
    );
    expect(rows.every((d) => d.expiresMs === T0 + 24 * 3_600_000)).toBe(true);
  });

  it('groups another rule about the same user into the alert, and sends it again when that makes it more severe', async () => {
    const clock = new ManualClock(T0);
    const db = await openAlertDb();
    const router = new AlertRouter([
      { sink: named('all'), minSeverity: 'informational' },
      { sink: named('pager'), minSeverity: 'critical' },
    ]);
    const outbox = new AlertOutbox(db, { clock, policy: DEFAULT_DELIVERY_POLICY });
    const intake = new AlertIntake(new AlertStore(db, { clock }), router, outbox, {
      clock,
      policy: DEFAULT_DELIVERY_POLICY,
    });
    const reset = await intake.ingest(
      buildDetection({ ruleId: 'okta-mfa-reset-all', title: 'All MFA factors reset', dedupKey: 'r' }),
    );
    const all = (await outbox.list())[0]!;
    await outbox.delivered(all);
    const same = await intake.ingest(
      buildDetection({ ruleId: 'okta-other', dedupKey: 'o', severity: 'low', timeMs: T0 + 60_000 }),
    );
    expect(same).toMatchObject({
      isNew: false,
      queued: [],
      alert: { id: reset.alert.id, severity: 'medium' },
    });

    clock.advance(120_000);
    const chain = await intake.ingest(
      buildDetection({
        ruleId: 'vigil-mfa-reset-chain',
        title: 'MFA reset, new factor, then a sensitive action',
        severity: 'critical',
        dedupKey: 'chain',
        timeMs: T0 + 120_000,
        eventIds: ['e1', 'e7', 'e8'],
      }),
    );
    expect(chain.isNew).toBe(false);
    expect(chain.alert).toMatchObject({
      id: reset.alert.id,
      severity: 'critical',
      ruleId: 'vigil-mfa-reset-chain',
      count: 3,
    });
    expect(chain.alert.reasons.map((r) => r.ruleId)).toEqual([
      'okta-mfa-reset-all',
      'okta-other',
      'vigil-mfa-reset-chain',
    ]);
    // The escalation goes out again: to the sink that had it, and to the one it now reaches.
    expect(chain.queued).toEqual(['all', 'pager']);
    const rows = await outbox.list();
    expect(rows.map((d) => `${d.sink}:${d.state}:${d.attempts}`).sort()).toEqual([
      'all:pending:0',
      'pager:pending:0',
    ]);
  });
});
