import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { AlertOutbox } from '../../src/alerts/alert-outbox.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import type { DeliveryPolicy } from '../../src/alerts/delivery-policy.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';
import { T0, buildDetection } from './build-detection.js';

const POLICY: DeliveryPolicy = {
  expireAfterMs: 10 * 60_000,
  retryBaseMs: 30_000,
  retryMaxMs: 120_000,
  holdOlderThanMs: 0,
};

describe('AlertOutbox', () => {
  it('retries with doubling, capped backoff on the injected clock, survives a reopened store, and expires at its deadline', async () => {
    const dataDir = tempDir('vigil-outbox-unit-');
    const clock = new ManualClock(T0);
    const first = await openSqliteStore({ dataDir, access: 'write' });
    const outbox = new AlertOutbox(first.db, { clock, policy: POLICY });
    const { alert } = await new AlertStore(first.db, { clock }).record(buildDetection(), {
      onNew: (db, created) => outbox.enqueue(db, created.id, ['soc']),
    });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [due] = await outbox.due();
      expect(due).toMatchObject({ alertId: alert.id, sink: 'soc', attempts: attempt - 1 });
      const after = await outbox.failed(due!, 'HTTP 503');
      waits.push(after.nextAttemptMs - clock.now());
      expect(await outbox.due()).toEqual([]); // not due again before its backoff
      clock.advance(after.nextAttemptMs - clock.now());
    }
    expect(waits).toEqual([30_000, 60_000, 120_000]);
    await first.close();

    // A restart: a new store over the same file still has the delivery, due and pending.
    const second = await openSqliteStore({ dataDir, access: 'write' });
    const reopened = new AlertOutbox(second.db, { clock, policy: POLICY });
    const [due] = await reopened.due();
    expect(due).toMatchObject({ alertId: alert.id, attempts: 3, lastError: 'HTTP 503', state: 'pending' });
    // 3.5 minutes have passed; a failure whose next attempt would fall after the deadline expires it.
    clock.advance(7 * 60_000);
    expect((await reopened.failed(due!, 'HTTP 503')).state).toBe('expired');
    expect(await reopened.pendingCount()).toBe(0);
    expect((await reopened.list({ state: 'expired' })).map((d) => d.alertId)).toEqual([alert.id]);
    await second.close();
  });

  it('expires a pending delivery once its deadline passes, without another attempt', async () => {
    const dataDir = tempDir('vigil-outbox-unit-');
    const clock = new ManualClock(T0);
    const store = await openSqliteStore({ dataDir, access: 'write' });
    const outbox = new AlertOutbox(store.db, { clock, policy: POLICY });
    await new AlertStore(store.db, { clock }).record(buildDetection(), {
      onNew: (db, created) => outbox.enqueue(db, created.id, ['soc', 'pager']),
    });
    clock.advance(POLICY.expireAfterMs - 1);
    expect(await outbox.expireOverdue()).toEqual([]);
    clock.advance(1);
    expect((await outbox.expireOverdue()).map((d) => `${d.sink}:${d.state}:${d.attempts}`).sort()).toEqual([
      'pager:expired:0',
      'soc:expired:0',
    ]);
    expect(await outbox.due()).toEqual([]);
    await store.close();
  });
});
