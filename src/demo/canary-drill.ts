import type { Clock } from '../core/clock.js';
import type { CanaryService, CanaryTarget } from '../canary/canary-service.js';
import type { PostureService } from '../posture/posture-service.js';
import type { ConfigReader } from '../sources/config-reader.js';

/** What the demo's canary drills did and what Vigil made of them. */
export interface CanaryDrillResult {
  readonly canary: string;
  /** `enforcement-bypass`: MFA skipped by the provider's code, its configuration untouched. */
  readonly bypass: {
    readonly probe: string;
    readonly expected: string;
    readonly observed: string;
    readonly status: string;
  };
  /** What posture saw change in the configuration meanwhile (nothing: only a sign-in shows it). */
  readonly configChanges: number;
  /** `log-suppression`: the canary's events acted on but never written to the System Log. */
  readonly suppressed: {
    readonly probe: string;
    readonly logCheck: string;
    readonly missing: readonly string[];
  };
}

interface Simulated {
  readonly baseUrl: string;
  readonly token: string;
}

async function control(sim: Simulated, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `SSWS ${sim.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`demo drill: POST ${path} answered ${response.status}: ${text.slice(0, 200)}`);
}

/**
 * The demo's canary drills (docs/canaries.md). `enforcement-bypass`: the simulator stops requiring
 * MFA (`POST /sim/enforcement skip-mfa`) while its configuration APIs still show the rule intact; the
 * canary admin's `mfa-required` probe fails, and posture's snapshots before and after show no change.
 * `log-suppression`: the canary's events are suppressed (`POST /sim/log-suppression`); its
 * `wrong-password` probe passes, but once the log has been read past it the log check fails.
 */
export async function runCanaryDrill(o: {
  readonly sim: Simulated;
  readonly canaries: CanaryService;
  /** The demo's one canary, with `mfa-required` among its probes. */
  readonly target: CanaryTarget;
  readonly posture: PostureService;
  readonly reader: ConfigReader;
  readonly clock: Clock;
  /** Collects the source's log up to now. */
  readonly collect: () => Promise<void>;
}): Promise<CanaryDrillResult> {
  const only = (probe: 'mfa-required' | 'wrong-password'): CanaryTarget => ({
    ...o.target,
    users: o.target.users.map((u) => ({ ...u, user: { ...u.user, probes: [probe] } })),
  });
  const canary = o.target.users[0]!.user.login;

  const before = await o.posture.snapshot('okta', o.reader);
  await control(o.sim, '/sim/enforcement', { mode: 'skip-mfa' });
  const [bypass] = await o.canaries.run(only('mfa-required'));
  const after = await o.posture.snapshot('okta', o.reader);
  const configChanges = (await o.posture.diff('okta', before, after)).length;
  await control(o.sim, '/sim/enforcement', { mode: 'normal' });

  await control(o.sim, '/sim/log-suppression', { actor: canary, on: true });
  const [suppressed] = await o.canaries.run(only('wrong-password'));
  // The provider publishes within seconds: read the log past the probe, then judge.
  await o.clock.sleep(15_000);
  await o.collect();
  const checks = await o.canaries.checkLogs('okta', { logLagMs: 10_000 });
  await control(o.sim, '/sim/log-suppression', { actor: canary, on: false });
  const check = checks.find((c) => c.probeRecord === suppressed!.recordId);
  return {
    canary,
    bypass: {
      probe: bypass!.probe,
      expected: bypass!.expected,
      observed: bypass!.observed,
      status: bypass!.status,
    },
    configChanges,
    suppressed: {
      probe: suppressed!.probe,
      logCheck: check?.status ?? 'pending',
      missing: (check?.missing ?? []).map((e) => `${e.type}${e.outcome ? ` ${e.outcome}` : ''}`),
    },
  };
}
