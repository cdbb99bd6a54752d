import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { ManualClock } from '../../../src/core/clock.js';
import type { OktaLogEvent } from '../../../src/sources/okta/log-event.js';
import { startSimulator } from '../../../src/sim/simulator.js';
import { tempDir } from '../../support/temp-dir.js';
import { runVigil } from '../../cli/cli-harness.js';

export const T = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

export interface LapsusWorld {
  readonly dir: string;
  readonly vigil: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  /** The scenario's ground truth: the attack's events, by uuid. */
  readonly attackIds: ReadonlySet<string>;
  /** Every event the simulator's log holds (what a complete copy has). */
  readonly events: readonly OktaLogEvent[];
  /** The attack's published window, widened by half an hour each side (background traffic inside it). */
  readonly from: string;
  readonly to: string;
  /** The attacker's user agent and one of its IPs (okta-api.md §4.4 lists the UA as a HAR-file IoC). */
  readonly attackerUserAgent: string;
  readonly attackerIp: string;
}

/**
 * The lapsus-2022 drill (src/sim/scenarios/lapsus-2022.ts) in an org of 20 people with a day of
 * background traffic, collected by `vigil collect --once` into a fresh data directory.
 */
export async function lapsusWorld(
  extraConfig: Record<string, unknown> = {},
  extraEnv: Record<string, string> = {},
): Promise<LapsusWorld> {
  const clock = new ManualClock(T);
  const sim = await startSimulator({
    seed: 11,
    users: 20,
    days: 1,
    liveTraffic: false,
    clock,
    scenarios: [{ name: 'lapsus-2022', at: T - 6 * HOUR }],
  });
  const dir = tempDir('vigil-report-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    stringify({
      sources: [{ name: 'okta', type: 'okta', url: sim.baseUrl, tokenEnv: 'OKTA_TOKEN', ...extraConfig }],
    }),
    { mode: 0o600 },
  );
  const vigil = (...args: string[]) =>
    runVigil(['--data', dir, ...args], {
      clock,
      env: { OKTA_TOKEN: sim.token, USER: 'analyst', ...extraEnv },
      cwd: dir,
    });
  const collected = await vigil('collect', '--once', '--since', new Date(T - 2 * 24 * HOUR).toISOString());
  const events = sim.truth();
  const truth = sim.scenarioTruth.find((t) => t.scenario === 'lapsus-2022')!;
  await sim.close();
  expect(collected.code, collected.stderr).toBe(0);
  const attackIds = new Set(truth.attackEventIds);
  const attack = events.filter((e) => attackIds.has(e.uuid));
  expect(attack).toHaveLength(attackIds.size);
  const times = attack.map((e) => Date.parse(e.published));
  const hostile = attack.find((e) => e.eventType === 'user.mfa.factor.activate')!;
  return {
    dir,
    vigil,
    attackIds,
    events,
    from: new Date(Math.min(...times) - HOUR / 2).toISOString(),
    to: new Date(Math.max(...times) + HOUR / 2).toISOString(),
    attackerUserAgent: hostile.client!.userAgent!.rawUserAgent!,
    attackerIp: hostile.client!.ipAddress!,
  };
}
