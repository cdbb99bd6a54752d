import { authenticator } from 'otplib';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import type { SimulatorOptions } from '../../src/sim/simulator.js';
import { configSim, rows } from './config-harness.js';

export const CANARY_UA = 'vigil-canary/1 (test)';
export const OFFICE_IP = '198.51.100.15';
export const ELSEWHERE_IP = '203.0.113.9';

export interface AuthnReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/**
 * The simulator with its control endpoints, and a client of Okta's Classic Authentication API as
 * Okta documents it: plain `fetch` (Okta's Node SDK 7 has no authn client). Requests name the
 * address the simulator should see (`X-Sim-Client-IP`, honoured with `--control` only).
 */
export async function authnSim(options: SimulatorOptions = {}) {
  const s = await configSim(options);
  const post = async (
    path: string,
    body: unknown,
    ip = ELSEWHERE_IP,
    ua = CANARY_UA,
  ): Promise<AuthnReply> => {
    const res = await fetch(`${s.sim.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': ua, 'x-sim-client-ip': ip },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
  const signIn = (username: string, password: string, ip?: string, ua?: string) =>
    post('/api/v1/authn', { username, password, options: { warnBeforePasswordExpired: false } }, ip, ua);
  /** Follows an MFA_REQUIRED answer's verify link with a code for the secret at the simulator's now. */
  const verify = (reply: AuthnReply, code: string, ip?: string) => {
    const factor = rows(at(reply.body, '_embedded.factors'))[0]!;
    const href = String(at(factor, '_links.verify.href'));
    return post(new URL(href).pathname, { stateToken: reply.body['stateToken'], passCode: code }, ip);
  };
  const codeFor = (secret: string) => authenticator.clone({ epoch: s.clock.now() }).generate(secret);
  const control = (path: string, body: unknown) => s.call('POST', path, body);
  /** A canary with a known password and TOTP secret (over the control endpoint, as drills make them). */
  const canary = async (body: Record<string, unknown>) => {
    const r = await control('/sim/users', body);
    if (r.status !== 201) throw new Error(`POST /sim/users answered ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json as {
      id: string;
      login: string;
      password: string;
      factors: { id: string; sharedSecret: string }[];
    };
  };
  const groupId = async (name: string) => {
    const r = await s.call('GET', '/api/v1/groups?limit=1000');
    return String(rows(r.json).find((g) => at(g, 'profile.name') === name)!['id']);
  };
  const zoneId = async (name: string) => {
    const r = await s.call('GET', '/api/v1/zones?limit=200');
    return String(rows(r.json).find((z) => z['name'] === name)!['id']);
  };
  const policies = async (type: string) => rows((await s.call('GET', `/api/v1/policies?type=${type}`)).json);
  /** Adds a global session policy (through the API) for a group, with its rules in order. */
  const sessionPolicy = async (
    group: string,
    rules: { name: string; network: unknown; access: 'ALLOW' | 'DENY' }[],
  ) => {
    const created = await s.call('POST', '/api/v1/policies', {
      type: 'OKTA_SIGN_ON',
      name: `Policy for ${group}`,
      priority: 1,
      system: false,
      status: 'ACTIVE',
      conditions: { people: { groups: { include: [group] } } },
    });
    if (created.status !== 200)
      throw new Error(`policy create answered ${created.status}: ${JSON.stringify(created.json)}`);
    const policyId = String((created.json as Record<string, unknown>)['id']);
    const ruleIds: string[] = [];
    for (const [i, rule] of rules.entries()) {
      const r = await s.call('POST', `/api/v1/policies/${policyId}/rules`, {
        type: 'SIGN_ON',
        name: rule.name,
        priority: i + 1,
        system: false,
        status: 'ACTIVE',
        conditions: { network: rule.network },
        actions: {
          signon: {
            access: rule.access,
            requireFactor: false,
            session: {
              maxSessionIdleMinutes: 60,
              maxSessionLifetimeMinutes: 480,
              usePersistentCookie: false,
            },
          },
        },
      });
      if (r.status !== 200) throw new Error(`rule create answered ${r.status}: ${JSON.stringify(r.json)}`);
      ruleIds.push(String((r.json as Record<string, unknown>)['id']));
    }
    return { policyId, ruleIds };
  };
  /** Sets the default password policy's lockout settings below the application (no log event). */
  const lockout = async (settings: Record<string, unknown>) => {
    const policy = (await policies('PASSWORD'))[0]!;
    const r = await control('/sim/shadow-change', {
      resource: `/api/v1/policies/${String(policy['id'])}`,
      patch: { settings: { password: { lockout: settings } } },
    });
    if (r.status !== 200) throw new Error(`shadow-change answered ${r.status}`);
  };
  /** The authn events of one actor (login) since the simulator started. */
  const eventsOf = async (login: string, eventType: string): Promise<OktaLogEvent[]> =>
    (await s.events(eventType))
      .filter((e) => e.actor.alternateId === login)
      .sort((a, b) => Date.parse(a.published) - Date.parse(b.published));
  /** A group of the seeded org other than Everyone. */
  const team = s.sim.org.groups.find((g) => g.name !== 'Everyone')!;
  return {
    ...s,
    team,
    post,
    signIn,
    verify,
    codeFor,
    control,
    canary,
    groupId,
    zoneId,
    policies,
    sessionPolicy,
    lockout,
    eventsOf,
  };
}

export { at, rows } from './config-harness.js';
import { at } from './config-harness.js';
