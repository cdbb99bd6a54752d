import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import type { VigilDatabase } from '../../src/store/database-schema.js';
import { expectCode } from '../support/expect-code.js';
import { openAlertDb } from './alert-db.js';
import { T0, buildDetection } from './build-detection.js';

const MINUTE = 60_000;
let db: Kysely<VigilDatabase>;
let clock: ManualClock;
let store: AlertStore;

beforeEach(async () => {
  db = await openAlertDb();
  clock = new ManualClock(T0 + 5_000);
  store = new AlertStore(db, { clock, dedupWindowMs: 10 * MINUTE });
});
afterEach(() => db.destroy());

describe('AlertStore.record', () => {
  it('opens a new alert stamped with Clock time', async () => {
    const { alert, isNew } = await store.record(buildDetection());
    expect(isNew).toBe(true);
    expect(alert).toMatchObject({
      status: 'open',
      count: 1,
      firstSeenMs: T0,
      lastSeenMs: T0,
      createdMs: T0 + 5_000,
    });
    expect(alert.id).toMatch(/^a-[0-9a-f]{12}$/);
    expect(await store.get(alert.id)).toEqual(alert);
  });

  it('folds a repeat inside the window: count, last seen, merged event ids, raised severity', async () => {
    const first = await store.record(buildDetection({ eventIds: ['e1', 'e2'] }));
    const repeat = await store.record(
      buildDetection({ timeMs: T0 + 4 * MINUTE, eventIds: ['e2', 'e3'], severity: 'high' }),
    );
    expect(repeat.isNew).toBe(false);
    expect(repeat.alert).toMatchObject({
      id: first.alert.id,
      count: 2,
      firstSeenMs: T0,
      lastSeenMs: T0 + 4 * MINUTE,
      eventIds: ['e1', 'e2', 'e3'],
      severity: 'high',
    });
    expect(await store.list()).toHaveLength(1);
  });

  it('opens a new alert once the window from the first occurrence has passed, or for another key', async () => {
    const first = await store.record(buildDetection());
    const late = await store.record(buildDetection({ timeMs: T0 + 10 * MINUTE, eventIds: ['e9'] }));
    const other = await store.record(
      buildDetection({
        dedupKey: 'other',
        timeMs: T0 + MINUTE,
        eventIds: ['e5'],
        entity: { type: 'user', id: '00u2', display: 'carol@example.com' },
      }),
    );
    expect(late.isNew).toBe(true);
    expect(other.isNew).toBe(true);
    expect(new Set([first.alert.id, late.alert.id, other.alert.id]).size).toBe(3);
  });

  it('does not fold a recurrence into a resolved alert', async () => {
    const first = await store.record(buildDetection());
    await store.transition(first.alert.id, 'resolved', 'carol');
    const again = await store.record(buildDetection({ timeMs: T0 + MINUTE }));
    expect(again.isNew).toBe(true);
    expect(again.alert.id).not.toBe(first.alert.id);
  });

  it('still folds repeats into an acknowledged alert', async () => {
    const first = await store.record(buildDetection());
    await store.transition(first.alert.id, 'acknowledged', 'carol');
    const again = await store.record(buildDetection({ timeMs: T0 + MINUTE }));
    expect(again).toMatchObject({
      isNew: false,
      alert: { id: first.alert.id, count: 2, status: 'acknowledged' },
    });
  });

  it('gives the same ids when the same detections are replayed into a fresh store', async () => {
    const ids = async () => {
      const fresh = new AlertStore(await openAlertDb(), { clock: new ManualClock(T0) });
      const a = await fresh.record(buildDetection());
      const b = await fresh.record(buildDetection({ dedupKey: 'k2' }));
      return [a.alert.id, b.alert.id];
    };
    expect(await ids()).toEqual(await ids());
  });
});

describe('AlertStore.transition', () => {
  it('records who moved the alert and when, in order', async () => {
    const { alert } = await store.record(buildDetection());
    clock.advance(MINUTE);
    await store.transition(alert.id, 'acknowledged', 'carol', 'looking');
    clock.advance(MINUTE);
    const resolved = await store.transition(alert.id, 'resolved', 'dave');
    expect(resolved.status).toBe('resolved');
    expect(resolved.transitions).toEqual([
      { from: 'open', to: 'acknowledged', by: 'carol', atMs: T0 + 5_000 + MINUTE, note: 'looking' },
      { from: 'acknowledged', to: 'resolved', by: 'dave', atMs: T0 + 5_000 + 2 * MINUTE },
    ]);
    expect((await store.list())[0]?.transitions).toHaveLength(2);
  });

  it('refuses moves out of resolved and back to open, and unknown ids', async () => {
    const { alert } = await store.record(buildDetection());
    await expectCode(store.transition(alert.id, 'open', 'x'), 'ALERT_INVALID_TRANSITION');
    await store.transition(alert.id, 'resolved', 'x');
    const reopened = await expectCode(
      store.transition(alert.id, 'acknowledged', 'x'),
      'ALERT_INVALID_TRANSITION',
    );
    expect(reopened.category).toBe('input');
    await expectCode(store.transition('a-nope', 'resolved', 'x'), 'ALERT_NOT_FOUND');
  });
});

describe('AlertStore.list', () => {
  it('filters by status and minimum severity, newest activity first', async () => {
    const low = await store.record(
      buildDetection({ dedupKey: 'a', severity: 'low', timeMs: T0, entity: { type: 'ip', id: '192.0.2.1' } }),
    );
    const high = await store.record(
      buildDetection({
        dedupKey: 'b',
        severity: 'high',
        timeMs: T0 + MINUTE,
        entity: { type: 'ip', id: '192.0.2.2' },
      }),
    );
    const crit = await store.record(
      buildDetection({ dedupKey: 'c', severity: 'critical', timeMs: T0 + 2 * MINUTE }),
    );
    await store.transition(high.alert.id, 'acknowledged', 'carol');
    expect((await store.list()).map((a) => a.id)).toEqual([crit.alert.id, high.alert.id, low.alert.id]);
    expect((await store.list({ minSeverity: 'high' })).map((a) => a.id)).toEqual([
      crit.alert.id,
      high.alert.id,
    ]);
    expect((await store.list({ status: 'open' })).map((a) => a.id)).toEqual([crit.alert.id, low.alert.id]);
    expect(await store.list({ status: 'resolved' })).toEqual([]);
  });
});
