import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertRunSummary } from '../../src/alerts/alert-run-summary.js';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { alertReceiver, RECEIVER_SECRET } from './alert-receiver.js';
import { runVigil } from './cli-harness.js';

const T = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

interface Delivery {
  alert: string;
  sink: string;
  state: string;
  attempts: number;
  lastError?: string;
}

/**
 * A small simulated org with the lapsus-2022 drill at `attackAt`, a data directory whose one sink is
 * a real webhook receiver on loopback, and `vigil` run in-process on the shared manual clock (each
 * run opens and closes its own runtime: a restart).
 */
async function setup(attackAt: number, delivery: Record<string, number> = {}) {
  const clock = new ManualClock(T);
  const sim = await startSimulator({
    seed: 11,
    users: 8,
    // History reaches back past the drill: a backfill's alerts are old, a recent drill's are not.
    days: attackAt < T - 24 * HOUR ? 4 : 1,
    liveTraffic: false,
    clock,
    scenarios: [{ name: 'lapsus-2022', at: attackAt }],
  });
  const receiver = await alertReceiver();
  const dir = tempDir('vigil-outbox-');
  const config = {
    sources: [{ name: 'okta', type: 'okta', url: sim.baseUrl, tokenEnv: 'OKTA_TOKEN' }],
    alerts: {
      sinks: [
        {
          type: 'webhook',
          name: 'soc',
          url: receiver.url,
          secret: { env: 'HOOK_SECRET' },
          // One attempt per pass: the outbox does the retrying.
          retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
        },
      ],
      delivery,
    },
  };
  writeFileSync(path.join(dir, 'vigil.yaml'), stringify(config), { mode: 0o600 });
  const vigil = (...args: string[]) =>
    runVigil(['--data', dir, ...args], {
      clock,
      env: { OKTA_TOKEN: sim.token, HOOK_SECRET: RECEIVER_SECRET },
    });
  const collect = async () => {
    const r = await vigil(
      'collect',
      '--once',
      '--since',
      new Date(T - 5 * 24 * HOUR).toISOString(),
      '--json',
    );
    return { ...r, alerts: (JSON.parse(r.stdout) as { alerts: AlertRunSummary }).alerts };
  };
  const deliveries = async (...flags: string[]) =>
    JSON.parse((await vigil('alerts', 'deliveries', '--json', ...flags)).stdout) as Delivery[];
  const alerts = async () => JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
  return { clock, sim, receiver, dir, vigil, collect, deliveries, alerts };
}

describe('alerts are never lost: the outbox', () => {
  it('a refusing sink delays alerts, each failure is logged and counted, collect --once exits 1; after restarts and the backoff every alert goes out once', async () => {
    const t = await setup(T - 6 * HOUR);
    try {
      const first = await t.collect();
      expect(first.code, first.stderr).toBe(1);
      const pushed = (await t.alerts()).filter(
        (a) => !a.heldBack && a.severity !== 'low' && a.severity !== 'informational',
      );
      expect(pushed.length).toBeGreaterThan(0);
      expect(first.alerts).toMatchObject({ heldBack: 0, delivered: 0, failedAttempts: 1, expired: 0 });
      expect(first.alerts.pending).toBe(pushed.length);
      expect(first.stderr).toMatch(
        /alert a-[0-9a-f]{12} to sink soc failed \(attempt 1\): .*HTTP 503.*; next attempt at 2026-03-10T12:00:30/,
      );
      expect(t.receiver.state.refused).toBe(1);

      // The outbox as `vigil alerts deliveries` shows it: every alert pending for soc, one tried once.
      const queued = await t.deliveries();
      expect(queued.map((d) => d.alert).sort()).toEqual(pushed.map((a) => a.id).sort());
      expect(queued.every((d) => d.sink === 'soc' && d.state === 'pending')).toBe(true);
      const failed = queued.filter((d) => d.attempts === 1);
      expect(failed).toHaveLength(1);
      expect(failed[0]!.lastError).toMatch(/HTTP 503/);

      // The receiver is back. A restart before the backoff has passed sends the others but not the
      // one that failed: it is not due yet, so the run still exits 1.
      t.receiver.state.refusing = false;
      const second = await t.collect();
      expect(second.code, second.stderr).toBe(1);
      expect(second.alerts).toMatchObject({ raised: 0, delivered: pushed.length - 1, pending: 1 });
      expect(t.receiver.state.accepted).not.toContain(failed[0]!.alert);

      // 30 s later (the first backoff) the next run delivers it; nothing is left and the run is clean.
      t.clock.advance(30_000);
      const third = await t.collect();
      expect(third.code, third.stderr).toBe(0);
      expect(third.alerts).toMatchObject({ delivered: 1, pending: 0, expired: 0 });
      expect([...t.receiver.state.accepted].sort()).toEqual(pushed.map((a) => a.id).sort());
      expect(t.receiver.state.badSignatures).toBe(0);
      expect((await t.deliveries('--state', 'delivered')).length).toBe(pushed.length);
    } finally {
      await t.sim.close();
    }
  });

  it('a delivery still failing after the expiry age (alerts.delivery.expireAfterHours) expires: logged, counted, exit 1 once', async () => {
    const t = await setup(T - 6 * HOUR, { expireAfterHours: 6 });
    try {
      const first = await t.collect();
      expect(first.code).toBe(1);
      const pending = first.alerts.pending;
      t.clock.advance(6 * HOUR);
      const second = await t.collect();
      expect(second.code).toBe(1);
      expect(second.alerts).toMatchObject({ expired: pending, pending: 0, delivered: 0 });
      expect(second.stderr).toMatch(
        /alert a-[0-9a-f]{12} to sink soc expired undelivered after 1 attempts: .*HTTP 503/,
      );
      expect((await t.deliveries('--state', 'expired')).length).toBe(pending);
      // Expiry is reported by the run it happened in; a later run has nothing undelivered.
      const third = await t.collect();
      expect(third.code, third.stderr).toBe(0);
      expect(t.receiver.state.accepted).toEqual([]);
    } finally {
      await t.sim.close();
    }
  });

  it('first backfill: alerts about events older than the hold-back age are stored and listed, not pushed, and the summary counts them', async () => {
    const t = await setup(T - 3 * 24 * HOUR);
    t.receiver.state.refusing = false;
    try {
      const run = await t.collect();
      expect(run.code, run.stderr).toBe(0);
      const listed = await t.alerts();
      const held = listed.filter((a) => a.heldBack);
      // The drill's alerts (three days old) are among the held ones, and none reached the receiver.
      expect(held.some((a) => a.rule.id === 'okta-support-credential-reset')).toBe(true);
      expect(run.alerts.heldBack).toBe(held.length);
      expect(held.every((a) => Date.parse(a.lastSeen) < T - 24 * HOUR)).toBe(true);
      expect(t.receiver.state.accepted.filter((id) => held.some((a) => a.id === id))).toEqual([]);
      const human = await t.vigil('collect', '--once');
      expect(human.stdout).toMatch(/alerts: 0 raised \(0 held back/);
    } finally {
      await t.sim.close();
    }
  });

  it('pushes a backfill too when alerts.delivery.holdOlderThanHours is 0', async () => {
    const t = await setup(T - 3 * 24 * HOUR, { holdOlderThanHours: 0 });
    t.receiver.state.refusing = false;
    try {
      const run = await t.collect();
      expect(run.code, run.stderr).toBe(0);
      expect(run.alerts.heldBack).toBe(0);
      const reset = (await t.alerts()).filter((a) => a.rule.id === 'okta-support-credential-reset');
      expect(reset.length).toBeGreaterThan(0);
      for (const a of reset) expect(t.receiver.state.accepted).toContain(a.id);
    } finally {
      await t.sim.close();
    }
  });
});

describe('vigil alerts deliveries and vigil alerts test', () => {
  it('alerts deliveries on a data directory with no store exits 2 and creates nothing', async () => {
    const parent = tempDir('vigil-outbox-missing-');
    const dir = path.join(parent, 'data');
    const r = await runVigil(['--data', dir, 'alerts', 'deliveries']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it('alerts test sends a sample to each sink and reports each; --sink picks one; an unknown one is exit 2', async () => {
    const receiver = await alertReceiver();
    receiver.state.refusing = false;
    const dir = tempDir('vigil-sinktest-');
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      stringify({
        alerts: {
          sinks: [
            { type: 'webhook', name: 'soc', url: receiver.url, secret: { env: 'HOOK_SECRET' } },
            {
              type: 'webhook',
              name: 'gone',
              url: 'http://127.0.0.1:9/hook',
              secret: { env: 'HOOK_SECRET' },
              retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
            },
          ],
        },
      }),
      { mode: 0o600 },
    );
    const vigil = (...args: string[]) =>
      runVigil(['--data', dir, 'alerts', 'test', ...args], { env: { HOOK_SECRET: RECEIVER_SECRET } });

    const all = await vigil();
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^soc: delivered$/m);
    expect(all.stdout).toMatch(
      /^gone: FAILED: gone: delivery failed after 1 attempts .*\[SINK_DELIVERY_FAILED\]$/m,
    );
    expect(receiver.state.accepted).toHaveLength(1);
    expect(receiver.state.badSignatures).toBe(0);

    const one = await vigil('--sink', 'soc', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([{ sink: 'soc', ok: true }]);

    const unknown = await vigil('--sink', 'pager');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no alert sink is called "pager"; configured: soc, gone/);
    // Only vigil.yaml was read: no store appeared.
    expect(existsSync(path.join(dir, 'vigil.db'))).toBe(false);

    const empty = tempDir('vigil-nosinks-');
    const none = await runVigil(['--data', empty, 'alerts', 'test']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no alert sinks in ${path.join(empty, 'vigil.yaml')}`);
  });
});
