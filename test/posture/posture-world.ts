import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { ManualClock } from '../../src/core/clock.js';
import type { PostureFinding } from '../../src/posture/posture-finding.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { runVigil, addOktaSource } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = '2026-03-10T12:00:00.000Z';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A data directory collecting from a simulator whose control path is on, and the calls a drill needs. */
export async function world() {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({
    seed: 11,
    users: 20,
    days: 1,
    liveTraffic: false,
    clock,
    control: true,
  });
  stops.push(() => sim.close());
  const dir = tempDir('vigil-posture-');
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
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const shadow = (resource: string, patch: unknown) =>
    call('POST', '/sim/shadow-change', { resource, patch });
  // Snapshots every two minutes inside collect, and no allowance for a late log (the simulator has none).
  const configFile = path.join(dir, 'vigil.yaml');
  const config = parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    configFile,
    stringify({ ...config, posture: { snapshotIntervalMinutes: 2, logLagSeconds: 0 } }),
  );
  /** One `collect --once` `minutes` later: it collects, reviews the last snapshot, and takes a new one when due. */
  const round = async (minutes = 2) => {
    clock.advance(minutes * 60_000);
    const collected = await vigil('collect', '--once', '--json');
    expect(collected.code, collected.stderr).toBe(0);
    return JSON.parse(collected.stdout) as {
      posture: { source: string; snapshot?: { id: string; incomplete: number }; shadowChanges: number }[];
    };
  };
  const check = async (...args: string[]) => {
    const result = await vigil('posture', 'check', '--json', ...args);
    return { ...result, report: JSON.parse(result.stdout || '{}') as { findings: PostureFinding[] } };
  };
  return { sim, clock, dir, vigil, call, shadow, round, check };
}

export type PostureWorld = Awaited<ReturnType<typeof world>>;

/** A global session rule that allows access and requires MFA. */
export async function firstSignOnRule(w: PostureWorld): Promise<string> {
  const policies = (await w.call('GET', '/api/v1/policies?type=OKTA_SIGN_ON')).body as { id: string }[];
  for (const p of policies) {
    const rules = (await w.call('GET', `/api/v1/policies/${p.id}/rules`)).body as {
      id: string;
      actions?: { signon?: { access?: string; requireFactor?: boolean } };
    }[];
    const rule = rules.find(
      (r) => r.actions?.signon?.access === 'ALLOW' && r.actions.signon.requireFactor === true,
    );
    if (rule) return `/api/v1/policies/${p.id}/rules/${rule.id}`;
  }
  throw new Error('the simulated org has no global session rule requiring MFA');
}
