import { describe, expect, it } from 'vitest';
import type { PostureFinding } from '../../src/posture/posture-finding.js';
import { firstSignOnRule, world, type PostureWorld } from './posture-world.js';

type Json = Record<string, unknown>;

/**
 * The changes an attacker below the application would make (issue 15 "Tests"), each made once
 * through the simulator's control path (no System Log event) and once through the API (logged).
 * Each returns the API path of the object it changed or created.
 */
interface Change {
  readonly name: string;
  shadow(w: PostureWorld): Promise<string>;
  api(w: PostureWorld): Promise<string>;
}

async function get(w: PostureWorld, path: string): Promise<Json> {
  const got = await w.call('GET', path);
  expect(got.status, path).toBe(200);
  return got.body as Json;
}
async function list(w: PostureWorld, path: string): Promise<Json[]> {
  return (await w.call('GET', path)).body as Json[];
}
async function ok(response: Promise<{ status: number; body: unknown }>, what: string): Promise<Json> {
  const r = await response;
  expect([200, 201, 204], `${what}: ${JSON.stringify(r.body)}`).toContain(r.status);
  return (r.body ?? {}) as Json;
}
const copyOf = (o: Json, changes: Json) => {
  const { id: _id, _links: _l, created: _c, lastUpdated: _u, ...rest } = o;
  return { ...rest, ...changes };
};

const CHANGES: readonly Change[] = [
  {
    name: "a policy rule's factor requirement",
    async shadow(w) {
      const rule = await firstSignOnRule(w);
      await ok(w.shadow(rule, { actions: { signon: { requireFactor: false } } }), 'shadow rule');
      return rule;
    },
    async api(w) {
      const rule = await firstSignOnRule(w);
      const current = await get(w, rule);
      const actions = current['actions'] as { signon: Json };
      await ok(
        w.call('PUT', rule, {
          ...current,
          actions: { ...actions, signon: { ...actions.signon, requireFactor: false } },
        }),
        'PUT rule',
      );
      return rule;
    },
  },
  {
    name: "an authenticator's status",
    async shadow(w) {
      const a = (await list(w, '/api/v1/authenticators')).find(
        (x) => x['status'] === 'ACTIVE' && x['key'] === 'okta_verify',
      )!;
      await ok(w.shadow(`/api/v1/authenticators/${a['id']}`, { status: 'INACTIVE' }), 'shadow authenticator');
      return `/api/v1/authenticators/${a['id']}`;
    },
    async api(w) {
      const a = (await list(w, '/api/v1/authenticators')).find(
        (x) => x['status'] === 'ACTIVE' && x['key'] === 'okta_verify',
      )!;
      await ok(
        w.call('POST', `/api/v1/authenticators/${a['id']}/lifecycle/deactivate`),
        'deactivate authenticator',
      );
      return `/api/v1/authenticators/${a['id']}`;
    },
  },
  {
    name: "a zone's gateways",
    async shadow(w) {
      const z = (await list(w, '/api/v1/zones')).find((x) => x['type'] === 'IP')!;
      await ok(
        w.shadow(`/api/v1/zones/${z['id']}`, { gateways: [{ type: 'CIDR', value: '203.0.113.0/24' }] }),
        'shadow zone',
      );
      return `/api/v1/zones/${z['id']}`;
    },
    async api(w) {
      const z = (await list(w, '/api/v1/zones')).find((x) => x['type'] === 'IP')!;
      await ok(
        w.call('PUT', `/api/v1/zones/${z['id']}`, {
          ...z,
          gateways: [{ type: 'CIDR', value: '203.0.113.0/24' }],
        }),
        'PUT zone',
      );
      return `/api/v1/zones/${z['id']}`;
    },
  },
  {
    name: 'a new super admin',
    async shadow(w) {
      const user = await roleHolder(w);
      const made = await ok(
        w.shadow(`/api/v1/users/${user}/roles`, {
          type: 'SUPER_ADMIN',
          label: 'Super Administrator',
          status: 'ACTIVE',
          assignmentType: 'USER',
        }),
        'shadow role',
      );
      return `/api/v1/users/${user}/roles/${made['id']}`;
    },
    async api(w) {
      const user = await roleHolder(w);
      const made = await ok(
        w.call('POST', `/api/v1/users/${user}/roles`, { type: 'SUPER_ADMIN' }),
        'grant role',
      );
      return `/api/v1/users/${user}/roles/${made['id']}`;
    },
  },
  {
    name: 'a new identity provider',
    async shadow(w) {
      const idp = (await list(w, '/api/v1/idps'))[0]!;
      const made = await ok(w.shadow('/api/v1/idps', copyOf(idp, { name: 'Partner tenant' })), 'shadow idp');
      return `/api/v1/idps/${made['id']}`;
    },
    async api(w) {
      const idp = (await list(w, '/api/v1/idps'))[0]!;
      const made = await ok(
        w.call('POST', '/api/v1/idps', copyOf(idp, { name: 'Partner tenant' })),
        'create idp',
      );
      return `/api/v1/idps/${made['id']}`;
    },
  },
  {
    name: 'a new API token',
    async shadow(w) {
      const token = (await list(w, '/api/v1/api-tokens'))[0]!;
      const made = await ok(
        w.shadow('/api/v1/api-tokens', copyOf(token, { name: 'backup sync' })),
        'shadow token',
      );
      return `/api/v1/api-tokens/${made['id']}`;
    },
    async api(w) {
      const token = (await list(w, '/api/v1/api-tokens'))[0]!;
      const made = await ok(
        w.call('POST', '/sim/api-tokens', {
          name: 'backup sync',
          userId: token['userId'],
          network: { connection: 'ANYWHERE' },
        }),
        'console token',
      );
      return `/api/v1/api-tokens/${made['id']}`;
    },
  },
  {
    name: 'Okta Support access switched on',
    async shadow(w) {
      await ok(
        w.shadow('/api/v1/org/privacy/oktaSupport', {
          support: 'ENABLED',
          expiration: '2026-03-11T12:00:00.000Z',
        }),
        'shadow support',
      );
      return '/api/v1/org/privacy/oktaSupport';
    },
    async api(w) {
      await ok(w.call('POST', '/api/v1/org/privacy/oktaSupport/grant'), 'grant support');
      return '/api/v1/org/privacy/oktaSupport';
    },
  },
  {
    name: "an event hook's URL",
    async shadow(w) {
      const hook = (await list(w, '/api/v1/eventHooks'))[0]!;
      await ok(
        w.shadow(`/api/v1/eventHooks/${hook['id']}`, {
          channel: { config: { uri: 'https://collector.example.net/hook' } },
        }),
        'shadow hook',
      );
      return `/api/v1/eventHooks/${hook['id']}`;
    },
    async api(w) {
      const hook = (await list(w, '/api/v1/eventHooks'))[0]!;
      const channel = hook['channel'] as { config: Json };
      await ok(
        w.call('PUT', `/api/v1/eventHooks/${hook['id']}`, {
          ...hook,
          channel: { ...channel, config: { ...channel.config, uri: 'https://collector.example.net/hook' } },
        }),
        'PUT hook',
      );
      return `/api/v1/eventHooks/${hook['id']}`;
    },
  },
];

/** A user of the org who holds no admin role: an actor of the System Log who is no role assignee. */
async function roleHolder(w: PostureWorld): Promise<string> {
  const assignees = (await w.call('GET', '/api/v1/iam/assignees/users')).body as { value: { id: string }[] };
  const admins = new Set(assignees.value.map((a) => a.id));
  const page = await w.call('GET', '/api/v1/logs?since=2026-03-09T12:00:00Z&limit=1000');
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  const events = page.body as { actor: { id: string; type: string } }[];
  const user = events.find((e) => e.actor.type === 'User' && !admins.has(e.actor.id));
  if (!user) throw new Error('the simulated org has no user without an admin role in its log');
  return user.actor.id;
}

/** The findings about one changed object, beside the baseline's. */
const about = (findings: PostureFinding[], resource: string) =>
  findings.filter((f) => f.kind !== 'baseline' && f.kind !== 'allow-list' && f.resource === resource);

async function drill(mode: 'shadow' | 'api') {
  const w = await world();
  await w.round();
  const resources: string[] = [];
  for (const change of CHANGES) resources.push(await change[mode](w));
  await w.round(); // the snapshot after the changes
  const judged = await w.round(1); // the log read past it
  const { report } = await w.check();
  return { judged, report, resources };
}

describe('shadow changes: caught below the application, explained through the API', () => {
  it('catches each change made with no System Log event, and alerts once for each', async () => {
    const { judged, report, resources } = await drill('shadow');
    for (const [i, change] of CHANGES.entries()) {
      const found = about(report.findings, resources[i]!);
      expect(found.length, change.name).toBeGreaterThan(0);
      expect(
        found.every((f) => f.kind === 'shadow-change' && f.status === 'fail' && f.explainedBy.length === 0),
        change.name,
      ).toBe(true);
    }
    expect(judged.posture[0]!.shadowChanges).toBe(
      report.findings.filter((f) => f.kind === 'shadow-change').length,
    );
  });

  it('explains each change made through the API with the event that records it', async () => {
    const { report, resources } = await drill('api');
    for (const [i, change] of CHANGES.entries()) {
      const found = about(report.findings, resources[i]!);
      expect(found.length, change.name).toBeGreaterThan(0);
      for (const f of found) {
        expect(f.kind, `${change.name}: ${f.detail}`).toBe('drift');
        expect(f.explainedBy.length, change.name).toBeGreaterThan(0);
      }
    }
    expect(report.findings.filter((f) => f.kind === 'shadow-change').map((f) => f.detail)).toEqual([]);
  });
});
