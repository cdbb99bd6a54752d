import { afterEach, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { runVigil, addOktaSource } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = '2026-03-10T12:00:00.000Z';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/**
 * A data directory collecting from a simulator with its control path on: the org's admin API,
 * Okta Support's side of it (`/sim/support-*`), and `vigil` run in-process on the same clock.
 */
export async function responseWorld(options: SimulatorOptions = {}) {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({
    seed: 5,
    users: 16,
    days: 1,
    liveTraffic: false,
    clock,
    control: true,
    ...options,
  });
  stops.push(() => sim.close());
  const dir = tempDir('vigil-response-');
  const env = { OKTA_TOKEN: sim.token };
  const vigil = (...args: string[]) => runVigil(['--data', dir, ...args], { env, clock });
  await addOktaSource(vigil, sim.baseUrl);
  const call = async (method: string, apiPath: string, body?: unknown) => {
    const res = await fetch(`${sim.baseUrl}${apiPath}`, {
      method,
      headers: {
        authorization: `SSWS ${sim.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  /** One thing Okta Support does in the org, a minute after the last. */
  const support = async (body: Record<string, unknown>) => {
    clock.advance(60_000);
    const r = await call('POST', '/sim/support-activity', body);
    expect(r.status).toBe(201);
    return r.body as { uuid: string; published: string };
  };
  /** Everything the provider logged so far, collected (past Okta's commit lag). */
  const collect = async () => {
    clock.advance(30_000);
    const r = await vigil('collect', '--once', '--json');
    expect(r.code, r.stderr).toBe(0);
  };
  const json = async <T>(...args: string[]) => {
    const r = await vigil(...args, '--json');
    return { ...r, body: (r.stdout ? JSON.parse(r.stdout) : undefined) as T };
  };
  return { sim, clock, dir, vigil, call, support, collect, json };
}

export type ResponseWorld = Awaited<ReturnType<typeof responseWorld>>;
