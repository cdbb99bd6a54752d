import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../cli/cli-harness.js';
import { at, configSim, rows } from './config-harness.js';

/**
 * The control endpoint (docs/simulator-config.md): a change below the application changes what the
 * read endpoints serve and writes no System Log event; it exists only with --control.
 */
describe('POST /sim/shadow-change', () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  beforeAll(async () => {
    s = await configSim();
  });
  afterAll(() => s.sim.close());

  const shadow = (resource: unknown, patch: unknown) =>
    s.call('POST', '/sim/shadow-change', { resource, patch });
  /** Every event in the log since the simulator started (past the commit lag). */
  const logged = async () => {
    s.clock.advance(11_000);
    return s.sim.truth().length;
  };
  const first = (collection: string, pick: (o: Record<string, unknown>) => boolean = () => true) =>
    `${collection}/${String(s.sim.config.list(collection).find(pick)![collection.endsWith('cases') ? 'caseNumber' : 'id'])}`;

  it("removes a rule's MFA requirement with no log event, lastUpdated untouched, and the read endpoint serves it", async () => {
    const p = s.sim.org.adminConsolePolicy;
    const path = `/api/v1/policies/${p.id}/rules/${p.ruleId}`;
    const before = s.sim.config.get(path)!;
    const events = await logged();
    const r = await shadow(path, { actions: { appSignOn: { verificationMethod: { factorMode: '1FA' } } } });
    expect(r.status).toBe(200);
    expect(at(r.json, 'actions.appSignOn.verificationMethod.factorMode')).toBe('1FA');
    const served = await s.call('GET', path);
    expect(at(served.json, 'actions.appSignOn.verificationMethod')).toEqual({
      ...(at(before, 'actions.appSignOn.verificationMethod') as object),
      factorMode: '1FA',
    });
    expect(at(served.json, 'lastUpdated')).toBe(before['lastUpdated']);
    expect(await logged()).toBe(events);
  });

  const everyFamily: [string, () => string, unknown, string, unknown][] = [
    [
      'policy',
      () => first('/api/v1/policies', (p) => p['type'] === 'OKTA_SIGN_ON'),
      { status: 'INACTIVE' },
      'status',
      'INACTIVE',
    ],
    [
      'authenticator',
      () => first('/api/v1/authenticators', (a) => a['key'] === 'security_question'),
      { status: 'ACTIVE' },
      'status',
      'ACTIVE',
    ],
    [
      'zone gateways',
      () => first('/api/v1/zones', (z) => z['name'] === 'Corporate offices'),
      { gateways: [{ type: 'CIDR', value: '0.0.0.0/0' }] },
      'gateways',
      [{ type: 'CIDR', value: '0.0.0.0/0' }],
    ],
    ['ThreatInsight', () => '/api/v1/threats/configuration', { action: 'none' }, 'action', 'none'],
    [
      'user role',
      () =>
        `/api/v1/users/${s.sim.org.admins[0]!.id}/roles/${String(s.sim.config.list(`/api/v1/users/${s.sim.org.admins[0]!.id}/roles`)[0]!['id'])}`,
      { status: 'INACTIVE' },
      'status',
      'INACTIVE',
    ],
    [
      'group',
      () => first('/api/v1/groups'),
      { profile: { description: 'changed' } },
      'profile.description',
      'changed',
    ],
    [
      'API token',
      () => first('/api/v1/api-tokens'),
      { network: { connection: 'ANYWHERE', include: null } },
      'network',
      { connection: 'ANYWHERE', exclude: [] },
    ],
    ['IdP', () => first('/api/v1/idps'), { status: 'INACTIVE' }, 'status', 'INACTIVE'],
    ['app', () => first('/api/v1/apps'), { label: 'Renamed' }, 'label', 'Renamed'],
    [
      'event hook URL',
      () => first('/api/v1/eventHooks'),
      { channel: { config: { uri: 'https://evil.example/h' } } },
      'channel.config.uri',
      'https://evil.example/h',
    ],
    ['log stream', () => first('/api/v1/logStreams'), { status: 'INACTIVE' }, 'status', 'INACTIVE'],
    [
      'trusted origin',
      () => first('/api/v1/trustedOrigins'),
      { origin: 'https://evil.example' },
      'origin',
      'https://evil.example',
    ],
    ['org', () => '/api/v1/org', { companyName: 'Renamed Inc.' }, 'companyName', 'Renamed Inc.'],
    [
      'support access',
      () => '/api/v1/org/privacy/oktaSupport',
      { support: 'ENABLED', expiration: '2026-03-11T12:00:00.000Z' },
      'support',
      'ENABLED',
    ],
    [
      'support case',
      () => first('/api/v1/org/privacy/oktaSupport/cases'),
      { impersonation: { status: 'ENABLED', expiration: '2026-03-11T12:00:00.000Z' } },
      'impersonation.status',
      'ENABLED',
    ],
  ];
  it.each(everyFamily)(
    'patches a %s, served as changed, with no log event',
    async (_name, resource, patch, field, value) => {
      const path = resource();
      const events = await logged();
      const r = await shadow(path, patch);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const served = path.includes('/cases/')
        ? rows(at((await s.call('GET', '/api/v1/org/privacy/oktaSupport/cases')).json, 'supportCases')).find(
            (c) => path.endsWith(String(c['caseNumber'])),
          )
        : (await s.call('GET', path)).json;
      expect(at(served, field)).toEqual(value);
      expect(await logged()).toBe(events);
    },
  );

  it('makes new objects on collections (an IdP, a super admin for a new user, an API token) and deletes with a null patch', async () => {
    const events = await logged();
    const idp = await shadow('/api/v1/idps', { name: 'Shadow IdP', type: 'SAML2', status: 'ACTIVE' });
    expect(idp.status).toBe(201);
    const idpId = String(at(idp.json, 'id'));
    expect(idpId).toMatch(/^0oa[A-Za-z0-9]{17}$/);
    expect(rows((await s.call('GET', '/api/v1/idps')).json).map((i) => i['id'])).toContain(idpId);

    const ghost = '00uGhostAdmin0000001';
    const role = await shadow(`/api/v1/users/${ghost}/roles`, { type: 'SUPER_ADMIN' });
    expect(role.status).toBe(201);
    expect(role.json).toMatchObject({
      type: 'SUPER_ADMIN',
      label: 'Super Administrator',
      assignmentType: 'USER',
      status: 'ACTIVE',
    });
    const assignees = rows(at((await s.call('GET', '/api/v1/iam/assignees/users')).json, 'value')).map(
      (u) => u['id'],
    );
    expect(assignees).toContain(ghost);

    const token = await shadow('/api/v1/api-tokens', {
      name: 'shadow',
      userId: ghost,
      clientName: 'Okta API',
      tokenWindow: 'P30D',
      expiresAt: '2026-04-01T00:00:00.000Z',
    });
    expect(token.status).toBe(201);
    expect((await s.call('GET', `/api/v1/api-tokens/${String(at(token.json, 'id'))}`)).status).toBe(200);

    const hook = first('/api/v1/eventHooks');
    expect((await shadow(hook, null)).status).toBe(200);
    expect((await s.call('GET', hook)).status).toBe(404);
    expect(await logged()).toBe(events);
  });

  it.each([
    ['an unknown object', '/api/v1/policies/00pnope0000000000000', { name: 'x' }],
    ['an unknown rule collection', '/api/v1/policies/00pnope0000000000000/rules', { name: 'x' }],
    ['a path no read endpoint serves', '/api/v1/nothing/here', {}],
    ['a user id that is no Okta user id', '/api/v1/users/admin/roles', { type: 'SUPER_ADMIN' }],
  ])('answers 404 E0000007 for %s', async (_name, resource, patch) => {
    const r = await shadow(resource, patch);
    expect([r.status, at(r.json, 'errorCode')]).toEqual([404, 'E0000007']);
  });

  it('answers 400 E0000001 for a patch that breaks the schema, changes the id or deletes a singleton, changing nothing', async () => {
    const zone = first('/api/v1/zones', (z) => z['type'] === 'IP');
    const rule = `/api/v1/policies/${s.sim.org.signOnPolicy.id}/rules/${s.sim.org.signOnPolicy.ruleId}`;
    const cases: [string, unknown, string][] = [
      [zone, { gateways: [{ type: 'CIDR' }] }, 'gateways.0.value'],
      [zone, { status: 'MAYBE' }, 'status'],
      [
        rule,
        { actions: { signon: { session: { maxSessionLifetimeMinutes: 'forever' } } } },
        'actions.signon.session.maxSessionLifetimeMinutes',
      ],
      [rule, { name: null }, 'name'],
      [rule, { id: '0prOther000000000000' }, 'id'],
      ['/api/v1/org/privacy/oktaSupport', { support: 'YES' }, 'support'],
      ['/api/v1/threats/configuration', null, '/api/v1/threats/configuration'],
      ['/api/v1/idps', 'not an object', 'patch'],
      ['/api/v1/idps', { name: 'No type' }, 'type'],
      ['/api/v1/users/00uGhost000000000002/roles', { type: 'OVERLORD' }, 'type'],
    ];
    for (const [resource, patch, cause] of cases) {
      const before = s.sim.config.get(resource) ?? s.sim.config.list(resource);
      const r = await shadow(resource, patch);
      expect([r.status, at(r.json, 'errorCode')], `${resource} ${JSON.stringify(patch)}`).toEqual([
        400,
        'E0000001',
      ]);
      expect(
        rows(at(r.json, 'errorCauses'))
          .map((c) => String(c['errorSummary']))
          .some((c) => c.startsWith(cause)),
      ).toBe(true);
      expect(s.sim.config.get(resource) ?? s.sim.config.list(resource)).toEqual(before);
    }
    expect((await s.call('POST', '/sim/shadow-change', { resource: zone })).status).toBe(400);
    expect((await s.call('POST', '/sim/shadow-change', { resource: 42, patch: {} })).status).toBe(400);
  });

  it('keeps a __proto__ member an ordinary field', async () => {
    const zone = first('/api/v1/zones', (z) => z['name'] === 'Known bad addresses');
    const r = await s.call(
      'POST',
      '/sim/shadow-change',
      JSON.parse(`{"resource": "${zone}", "patch": {"__proto__": {"polluted": true}}}`),
    );
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('takes the API token like every endpoint', async () => {
    const r = await s.call('POST', '/sim/shadow-change', { resource: '/api/v1/org', patch: {} }, {});
    expect([r.status, at(r.json, 'errorCode')]).toEqual([401, 'E0000011']);
  });

  it('POST /sim/api-tokens makes a token as the Admin Console does, logged as system.api_token.create', async () => {
    const r = await s.call('POST', '/sim/api-tokens', { name: 'console token' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      name: 'console token',
      userId: s.sim.org.admins[0]!.id,
      network: { connection: 'ANYWHERE' },
    });
    const created = await s.events('system.api_token.create');
    expect(created.map((e) => [e.target?.[0]?.id, e.target?.[0]?.type, e.target?.[0]?.displayName])).toEqual([
      [at(r.json, 'id'), 'Token', 'console token'],
    ]);
  });
});

describe('without --control', () => {
  it('has no control endpoints', async () => {
    const s = await configSim({ control: false });
    try {
      for (const path of ['/sim/shadow-change', '/sim/api-tokens']) {
        const r = await s.call('POST', path, { resource: '/api/v1/org', patch: { companyName: 'x' } });
        expect([r.status, at(r.json, 'errorCode')]).toEqual([404, 'E0000007']);
      }
      expect(s.sim.config.get('/api/v1/org')!['companyName']).not.toBe('x');
    } finally {
      await s.sim.close();
    }
  });

  it('vigil sim --control serves them through the real CLI; vigil sim alone does not', async () => {
    for (const control of [true, false]) {
      let status: number | undefined;
      const result = await runVigil(
        [
          'sim',
          '--port',
          '0',
          '--users',
          '10',
          '--days',
          '1',
          '--token',
          't0k',
          ...(control ? ['--control'] : []),
        ],
        {
          onStdout: (all, abort) => {
            const m = /org URL: (http:\/\/127\.0\.0\.1:\d+)/.exec(all);
            if (m && all.includes('serving until stopped') && status === undefined) {
              status = 0;
              void fetch(`${m[1]}/sim/shadow-change`, {
                method: 'POST',
                headers: { authorization: 'SSWS t0k', 'content-type': 'application/json' },
                body: JSON.stringify({
                  resource: '/api/v1/threats/configuration',
                  patch: { action: 'none' },
                }),
              }).then((res) => {
                status = res.status;
                abort();
              });
            }
          },
        },
      );
      expect(result.code).toBe(0);
      expect(status).toBe(control ? 200 : 404);
      expect(result.stdout.includes('/sim/shadow-change')).toBe(control);
    }
  });
});
