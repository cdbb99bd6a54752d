import type { Clock } from '../core/clock.js';
import type { PostureFinding } from '../posture/posture-finding.js';
import type { PostureService } from '../posture/posture-service.js';
import type { ConfigReader } from '../sources/config-reader.js';

/** What the demo's posture drill did and what Vigil made of it. */
export interface PostureDrillResult {
  readonly snapshots: readonly string[];
  /** `shadow-mfa-off`: the rule whose MFA requirement was removed below the application. */
  readonly shadowTarget: string;
  /** The change an admin made through the API (logged), for contrast. */
  readonly loggedTarget: string;
  readonly shadowChanges: readonly PostureFinding[];
  readonly explained: readonly PostureFinding[];
  readonly failedChecks: readonly PostureFinding[];
}

interface Simulated {
  readonly baseUrl: string;
  readonly token: string;
}

type Json = Record<string, unknown>;

async function call(sim: Simulated, method: string, path: string, body?: unknown): Promise<Json | Json[]> {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `SSWS ${sim.token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`demo drill: ${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as Json | Json[]) : {};
}

/**
 * The demo's posture drill: a first snapshot; then `shadow-mfa-off` (a global session rule's MFA
 * requirement removed through the simulator's control path, so no System Log event records it, as
 * a change below the application would) and, for contrast, a network zone changed by an admin
 * through the API (logged); a second snapshot, the log read past it until the admin's event has
 * arrived, and the review: the first change is a shadow change (a critical alert), the second is explained by its
 * event.
 */
export async function runPostureDrill(o: {
  readonly sim: Simulated;
  readonly posture: PostureService;
  readonly reader: ConfigReader;
  readonly clock: Clock;
  /** Collects the source's log up to now. */
  readonly collect: () => Promise<void>;
}): Promise<PostureDrillResult> {
  const first = await o.posture.snapshot('okta', o.reader);

  const policies = (await call(o.sim, 'GET', '/api/v1/policies?type=OKTA_SIGN_ON')) as Json[];
  let shadowTarget: string | undefined;
  for (const policy of policies) {
    const rules = (await call(o.sim, 'GET', `/api/v1/policies/${String(policy['id'])}/rules`)) as Json[];
    const rule = rules.find(
      (r) => (r['actions'] as { signon?: Json } | undefined)?.signon?.['requireFactor'] === true,
    );
    if (rule) {
      shadowTarget = `/api/v1/policies/${String(policy['id'])}/rules/${String(rule['id'])}`;
      break;
    }
  }
  if (!shadowTarget)
    throw new Error('demo drill: the simulated org has no global session rule that requires MFA');
  await call(o.sim, 'POST', '/sim/shadow-change', {
    resource: shadowTarget,
    patch: { actions: { signon: { requireFactor: false } } },
  });

  const zone = ((await call(o.sim, 'GET', '/api/v1/zones')) as Json[]).find((z) => z['type'] === 'IP');
  if (!zone) throw new Error('demo drill: the simulated org has no IP zone');
  const loggedTarget = `/api/v1/zones/${String(zone['id'])}`;
  const gateways = Array.isArray(zone['gateways']) ? zone['gateways'] : [];
  await call(o.sim, 'PUT', loggedTarget, {
    ...zone,
    gateways: [...gateways, { type: 'CIDR', value: '198.51.100.0/24' }],
  });

  const second = await o.posture.snapshot('okta', o.reader);
  // The provider publishes an event up to seconds after the change (minutes for a few): read the
  // log again until the admin's change is explained, as `vigil collect` would at its next polls.
  let report;
  for (let attempt = 0; ; attempt++) {
    await o.clock.sleep(2_000);
    await o.collect();
    report = await o.posture.review('okta', { logLagMs: 0 });
    const explained = report.findings.some((f) => f.kind === 'drift' && f.resource === loggedTarget);
    if (explained || attempt >= 90) break;
  }
  return {
    snapshots: [first.id, second.id],
    shadowTarget,
    loggedTarget,
    shadowChanges: report.findings.filter((f) => f.kind === 'shadow-change'),
    explained: report.findings.filter((f) => f.kind === 'drift'),
    failedChecks: report.findings.filter((f) => f.kind === 'baseline' && f.status === 'fail'),
  };
}
