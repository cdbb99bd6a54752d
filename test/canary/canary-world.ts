import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { ManualClock } from '../../src/core/clock.js';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = '2026-03-10T12:00:00.000Z';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

export interface ProbeLine {
  source: string;
  canary: string;
  probe: string;
  expected: string;
  observed: string;
  status: 'pass' | 'fail' | 'error';
  logCheck: 'pass' | 'fail' | 'pending';
  recordId: string;
}

export const MFA = 'canary-mfa@example.com';
export const OFF = 'canary-off@example.com';
export const DENIED = 'canary-denied@example.com';

/**
 * A data directory collecting from an enforcing simulator (a hardened org: lockout after 10
 * failures) with its control path on, and three canaries made through the simulator: an admin that
 * must meet MFA and lockout, a deactivated one, and one in a group a DENY rule (scoped to the
 * runner's network zone) refuses. Passwords in 0600 files, TOTP seeds in the environment.
 */
export async function canaryWorld(
  options: { intervalMinutes?: number; logLagSeconds?: number; clientIp?: string } = {},
) {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({
    seed: 12,
    users: 20,
    days: 1,
    liveTraffic: false,
    clock,
    control: true,
  });
  stops.push(() => sim.close());
  const dir = tempDir('vigil-canary-');
  const call = async (
    method: string,
    apiPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${sim.baseUrl}${apiPath}`, {
      method,
      headers: {
        authorization: `SSWS ${sim.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  // The denied canary's group, and a DENY rule for it from the runner's network (127.0.0.1).
  const groups = (await call('GET', '/api/v1/groups?limit=200')).body as {
    id: string;
    profile: { name: string };
  }[];
  const team = groups.find((g) => g.profile.name === 'Help Desk')!;
  const zone = (await call('POST', '/api/v1/zones', {
    type: 'IP',
    name: 'Canary runner',
    status: 'ACTIVE',
    usage: 'POLICY',
    gateways: [{ type: 'CIDR', value: '127.0.0.1/32' }],
  })) as { status: number; body: { id: string } };
  expect(zone.status, JSON.stringify(zone.body)).toBe(200);
  // A policy of its own: the simulator keeps priorities as given, so a rule beside the default one could tie with it.
  const policy = (await call('POST', '/api/v1/policies', {
    type: 'OKTA_SIGN_ON',
    name: 'Help Desk from the runner network',
    status: 'ACTIVE',
    priority: 1,
    conditions: { people: { groups: { include: [team.id] } } },
  })) as { status: number; body: { id: string } };
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  const deny = await call('POST', `/api/v1/policies/${policy.body.id}/rules`, {
    name: 'Deny Help Desk from the runner network',
    type: 'SIGN_ON',
    priority: 1,
    status: 'ACTIVE',
    conditions: {
      people: { groups: { include: [team.id] } },
      network: { connection: 'ZONE', include: [zone.body.id] },
    },
    actions: {
      signon: {
        access: 'DENY',
        requireFactor: false,
        session: { maxSessionIdleMinutes: 15, maxSessionLifetimeMinutes: 60, usePersistentCookie: false },
      },
    },
  });
  expect(deny.status, JSON.stringify(deny.body)).toBe(200);

  const mfa = sim.authn.createUser({ login: MFA, groups: ['Okta Administrators'], totp: true });
  const off = sim.authn.createUser({ login: OFF, status: 'DEPROVISIONED' });
  const denied = sim.authn.createUser({ login: DENIED, groups: [team.id] });
  const passwords = [mfa.password, off.password, denied.password];
  const secretFile = (name: string, value: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return name;
  };
  const env: Record<string, string> = { OKTA_TOKEN: sim.token, CANARY_TOTP: mfa.factors[0]!.sharedSecret };
  const vigil = (...args: string[]) => runVigil(['--data', dir, ...args], { env, clock });
  const added = await vigil(
    'source',
    'add',
    'okta',
    '--name',
    'okta',
    '--url',
    sim.baseUrl,
    '--token-env',
    'OKTA_TOKEN',
  );
  expect(added.code, added.stderr).toBe(0);
  // The seeded history first, before any canary: alerts it raises are not the canaries' (see `alerts`).
  const baseline = await vigil('collect', '--once', '--json');
  expect(baseline.code, baseline.stderr).toBe(0);
  const before = new Set(
    (JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[]).map((a) => a.id),
  );
  const configFile = path.join(dir, 'vigil.yaml');
  const config = parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    configFile,
    stringify({
      ...config,
      posture: { snapshotIntervalMinutes: 0 },
      canaries: {
        intervalMinutes: options.intervalMinutes ?? 60,
        // The simulator commits an event up to ~10 s after it happened, as Okta does.
        logLagSeconds: options.logLagSeconds ?? 60,
        ...(options.clientIp === undefined ? {} : { clientIp: options.clientIp }),
        users: [
          {
            source: 'okta',
            login: MFA,
            probes: ['wrong-password', 'mfa-required', 'lockout'],
            passwordFile: secretFile('canary-mfa.password', mfa.password),
            totpSecretEnv: 'CANARY_TOTP',
          },
          {
            source: 'okta',
            login: OFF,
            probes: ['deactivated-refused'],
            passwordFile: secretFile('canary-off.password', off.password),
          },
          {
            source: 'okta',
            login: DENIED,
            probes: ['group-denied'],
            passwordFile: secretFile('canary-denied.password', denied.password),
          },
        ],
      },
    }),
  );

  const run = async (...args: string[]) => {
    const result = await vigil('canary', 'run', '--json', ...args);
    return {
      ...result,
      probes: (JSON.parse(result.stdout || '{"probes":[]}') as { probes: ProbeLine[] }).probes,
    };
  };
  /** One `collect --once`, by default a little more than the log lag after now. */
  const collect = async (advanceMs = 61_000) => {
    clock.advance(advanceMs);
    const collected = await vigil('collect', '--once', '--json');
    return {
      ...collected,
      json: JSON.parse(collected.stdout || '{}') as {
        canaries?: {
          source: string;
          probes: ProbeLine[];
          logChecked: number;
          logMissing: number;
          foreign: number;
        }[];
      },
    };
  };
  const check = async () => {
    const result = await vigil('canary', 'check', '--json');
    return {
      ...result,
      json: JSON.parse(result.stdout || '{}') as {
        logChecks: { probeRecord: string; logCheck: 'pass' | 'fail'; missing: { type: string }[] }[];
        foreign: { eventType: string; clientIp: string | null }[];
      },
    };
  };
  /** Alerts raised since the canaries were configured. */
  const alerts = async () =>
    (JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[]).filter((a) => !before.has(a.id));
  const enforce = (mode: string, users?: string[]) =>
    call('POST', '/sim/enforcement', { mode, ...(users ? { users } : {}) });
  const userStatus = async (login: string) =>
    ((await call('GET', `/api/v1/users/${encodeURIComponent(login)}`)).body as { status: string }).status;
  return {
    sim,
    clock,
    dir,
    env,
    vigil,
    call,
    run,
    collect,
    check,
    alerts,
    enforce,
    userStatus,
    passwords,
    mfa,
  };
}

export type CanaryWorld = Awaited<ReturnType<typeof canaryWorld>>;
