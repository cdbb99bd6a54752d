import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/seeded-random.js';
import { profileFor, seedConfig } from '../../src/sim/config/config-seed.js';
import { buildSimOrg } from '../../src/sim/org/sim-org.js';
import { parseLinks, T0 } from './sim-harness.js';
import { at, configSim, rows } from './config-harness.js';

/** The read endpoints of docs/simulator-config.md: paging, filters, errors, buckets, the seed. */
describe('configuration read endpoints', () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  beforeAll(async () => {
    s = await configSim({ users: 400, configRateLimits: { apps: 40 } });
  });
  afterAll(() => s.sim.close());

  /** Follows next links from `first`, returning every id and the number of pages. */
  async function walk(first: string, idOf: (o: Record<string, unknown>) => string = (o) => String(o['id'])) {
    const ids: string[] = [];
    let next: string | undefined = first;
    let pages = 0;
    while (next !== undefined) {
      const r = await s.call('GET', next.replace(s.sim.baseUrl, ''));
      expect(r.status, next).toBe(200);
      const links = parseLinks(r.links);
      expect(links['self']).toBe(`${s.sim.baseUrl}${next.replace(s.sim.baseUrl, '')}`);
      const body = r.json;
      const items = Array.isArray(body) ? rows(body) : rows(at(body, 'value'));
      ids.push(...items.map(idOf));
      if (!Array.isArray(body)) expect(at(body, '_links.next.href')).toBe(links['next']);
      next = links['next'];
      pages++;
    }
    return { ids, pages };
  }

  const policyId = () => s.sim.org.adminConsolePolicy.id;
  const paged: [string, () => string, () => string[]][] = [
    [
      'policies of a type',
      () => '/api/v1/policies?type=ACCESS_POLICY&limit=3',
      () =>
        s.sim.config
          .list('/api/v1/policies')
          .filter((p) => p['type'] === 'ACCESS_POLICY')
          .sort((a, b) => Number(a['priority']) - Number(b['priority']))
          .map((p) => String(p['id'])),
    ],
    [
      'rules of a policy',
      () => `/api/v1/policies/${policyId()}/rules?limit=1`,
      () => s.sim.config.list(`/api/v1/policies/${policyId()}/rules`).map((p) => String(p['id'])),
    ],
    [
      'zones',
      () => '/api/v1/zones?limit=4',
      () => s.sim.config.list('/api/v1/zones').map((p) => String(p['id'])),
    ],
    [
      'apps',
      () => '/api/v1/apps?limit=5',
      () => s.sim.config.list('/api/v1/apps').map((p) => String(p['id'])),
    ],
    [
      'groups',
      () => '/api/v1/groups?limit=7',
      () => s.sim.config.list('/api/v1/groups').map((p) => String(p['id'])),
    ],
    [
      'API tokens',
      () => '/api/v1/api-tokens?limit=1',
      () => s.sim.config.list('/api/v1/api-tokens').map((p) => String(p['id'])),
    ],
    [
      'trusted origins',
      () => '/api/v1/trustedOrigins?limit=1',
      () => s.sim.config.list('/api/v1/trustedOrigins').map((p) => String(p['id'])),
    ],
    [
      'users with roles',
      () => '/api/v1/iam/assignees/users?limit=3',
      () => s.sim.org.admins.map((a) => a.id),
    ],
  ];
  it.each(paged)(
    'pages %s with limit/after and Link headers, every object once',
    async (_name, first, expected) => {
      const want = expected();
      const { ids, pages } = await walk(first());
      expect(ids).toEqual(want);
      expect(pages).toBeGreaterThan(1);
    },
  );

  it('serves IdPs and log streams paged too, and unpaged lists with a self link only', async () => {
    expect((await walk('/api/v1/idps?limit=1')).ids.length).toBe(1);
    expect((await walk('/api/v1/logStreams?limit=1')).ids.length).toBe(1);
    for (const path of [
      '/api/v1/authenticators',
      '/api/v1/eventHooks',
      `/api/v1/users/${s.sim.org.admins[0]!.id}/roles`,
    ]) {
      const r = await s.call('GET', path);
      expect(r.status).toBe(200);
      expect(Object.keys(parseLinks(r.links))).toEqual(['self']);
    }
  });

  it('applies each list filter', async () => {
    const names = async (path: string, field = 'name') =>
      rows((await s.call('GET', path)).json).map((o) => at(o, field));
    expect(
      await names('/api/v1/zones?filter=' + encodeURIComponent('usage eq "BLOCKLIST" and system eq true')),
    ).toEqual(['BlockedIpZone', 'DefaultEnhancedDynamicZone']);
    expect(
      await names('/api/v1/zones?filter=' + encodeURIComponent('usage eq "BLOCKLIST" or system eq true')),
    ).toEqual([
      'LegacyIpZone',
      'BlockedIpZone',
      'DefaultEnhancedDynamicZone',
      'Anonymizers',
      'Known bad addresses',
    ]);
    expect(await names('/api/v1/apps?filter=' + encodeURIComponent('name eq "saasure"'), 'label')).toEqual([
      'Okta Admin Console',
    ]);
    expect(await names('/api/v1/apps?q=okta', 'label')).toEqual(['Okta Admin Console', 'Okta Dashboard']);
    expect(
      await names('/api/v1/apps?limit=200&filter=' + encodeURIComponent('status eq "INACTIVE"'), 'label'),
    ).toEqual([]);
    expect(await names('/api/v1/policies?type=OKTA_SIGN_ON')).toEqual(['Administrators', 'Default Policy']);
    expect(await names('/api/v1/policies?type=OKTA_SIGN_ON&status=INACTIVE')).toEqual([]);
    expect(await names('/api/v1/policies?type=PASSWORD&q=def')).toEqual(['Default Policy']);
    expect(await names('/api/v1/idps?type=SAML2')).toEqual([]);
    expect(await names('/api/v1/idps?type=GOOGLE')).toEqual(['Google Workspace']);
    expect(await names('/api/v1/trustedOrigins?q=supp')).toEqual(['Support portal']);
    expect(
      await names('/api/v1/logStreams?filter=' + encodeURIComponent('type eq "aws_eventbridge"')),
    ).toEqual([]);
    expect(await names('/api/v1/groups?q=okta%20adm', 'profile.name')).toEqual(['Okta Administrators']);
  });

  it.each([
    ['/api/v1/policies', 400, 'E0000001', 'type: The type parameter is required'],
    ['/api/v1/policies?type=SIGN_ON', 400, 'E0000001', "type: 'SIGN_ON' is not a policy type"],
    ['/api/v1/policies?type=PASSWORD&status=GONE', 400, 'E0000001', "status: 'GONE'"],
    ['/api/v1/zones?limit=0', 400, 'E0000001', 'limit: must be an integer from 1 to 200'],
    ['/api/v1/apps?limit=201', 400, 'E0000001', 'limit: must be an integer from 1 to 200'],
    ['/api/v1/iam/assignees/users?limit=101', 400, 'E0000001', 'limit: must be an integer from 1 to 100'],
    [
      '/api/v1/zones?after=nzo00000000000000000',
      400,
      'E0000001',
      "after: 'nzo00000000000000000' names no object",
    ],
    [
      '/api/v1/zones?filter=' + encodeURIComponent('name eq "x"'),
      400,
      'E0000031',
      "filter: 'name' cannot be filtered on",
    ],
    ['/api/v1/zones?filter=' + encodeURIComponent('usage sw "B"'), 400, 'E0000031', 'is not <field> eq'],
    [
      '/api/v1/idps?filter=' + encodeURIComponent('name eq "x"'),
      400,
      'E0000031',
      'filter: this list takes no filter',
    ],
    ['/api/v1/policies/00pnope0000000000000', 404, 'E0000007', null],
    ['/api/v1/policies/00pnope0000000000000/rules', 404, 'E0000007', null],
    ['/api/v1/users/00unope0000000000000/roles', 404, 'E0000007', null],
    ['/oauth2/v1/clients/0oanope0000000000000/roles', 404, 'E0000007', null],
    ['/api/v1/org/privacy/oktaSupport/cases/1', 404, 'E0000007', null],
    ['/api/v1/nothing/here', 404, 'E0000007', null],
  ])("GET %s answers %i %s with Okta's error body", async (path, status, code, cause) => {
    const r = await s.call('GET', path);
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({ errorCode: code, errorLink: code });
    expect(String(at(r.json, 'errorId'))).toMatch(/^oae[A-Za-z0-9_-]{22}$/);
    expect(typeof at(r.json, 'errorSummary')).toBe('string');
    if (cause !== null)
      expect(String(at(rows(at(r.json, 'errorCauses'))[0], 'errorSummary'))).toContain(cause);
  });

  it('refuses a missing or unknown token with 401 E0000011', async () => {
    for (const headers of [{}, { authorization: 'SSWS wrong' }, { authorization: 'Bearer nope' }] as Record<
      string,
      string
    >[]) {
      const r = await s.call('GET', '/api/v1/zones', undefined, headers);
      expect(r.status).toBe(401);
      expect(at(r.json, 'errorCode')).toBe('E0000011');
    }
  });

  it('keeps a rate-limit bucket per family: apps run out while zones and the System Log do not', async () => {
    s.clock.set(Date.parse(T0) + 3_600_000);
    const remaining: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await s.call('GET', '/api/v1/apps?limit=1');
      expect(r.status).toBe(200);
      remaining.push(r.res.headers.get('x-rate-limit-remaining')!);
    }
    expect(remaining.slice(0, 3)).toEqual(['39', '38', '37']);
    const refused = await s.call('GET', `/api/v1/apps/${s.sim.org.adminConsole.id}`);
    expect(refused.status).toBe(429);
    expect(at(refused.json, 'errorCode')).toBe('E0000047');
    expect(refused.res.headers.get('x-rate-limit-limit')).toBe('40');
    expect(Number(refused.res.headers.get('x-rate-limit-reset'))).toBe(
      Math.floor(s.clock.now() / 60_000 + 1) * 60,
    );
    const zones = await s.call('GET', '/api/v1/zones');
    expect(zones.status).toBe(200);
    expect(zones.res.headers.get('x-rate-limit-limit')).toBe('600');
    expect((await s.call('GET', '/api/v1/logs?limit=1')).status).toBe(200);
    s.clock.advance(60_000);
    expect((await s.call('GET', '/api/v1/apps?limit=1')).status).toBe(200);
  });
});

describe('the seeded configuration', () => {
  const seeded = (seed: number, users: number) => {
    const random = createRandom(seed);
    const org = buildSimOrg(random, users);
    const model = seedConfig(org, random, profileFor(seed, users), Date.parse(T0));
    const paths = [
      '/api/v1/policies',
      '/api/v1/zones',
      '/api/v1/apps',
      '/api/v1/groups',
      '/api/v1/authenticators',
      '/api/v1/api-tokens',
    ];
    return { org, model, dump: JSON.stringify(paths.map((p) => model.list(p))) };
  };

  it('is the same for the same seed and differs for another', () => {
    expect(seeded(3, 120).dump).toBe(seeded(3, 120).dump);
    expect(seeded(4, 120).dump).not.toBe(seeded(3, 120).dump);
  });

  it('is the benchmark org at 10,000 users: 500 groups, 300 apps, 200 policy rules, 50 zones', () => {
    const { model } = seeded(1, 10_000);
    expect(model.list('/api/v1/groups').length).toBe(500);
    expect(model.list('/api/v1/apps').length).toBe(300);
    expect(model.list('/api/v1/zones').length).toBe(50);
    const rules = model
      .list('/api/v1/policies')
      .reduce((n, p) => n + model.list(`/api/v1/policies/${String(p['id'])}/rules`).length, 0);
    expect(rules).toBe(200);
    expect(model.collectionsMatching(/^\/api\/v1\/users\/[^/]+\/roles$/).length).toBe(200);
  });

  it('starts weak on odd seeds and hardened on even ones', () => {
    const status = (seed: number, key: string) =>
      seeded(seed, 60)
        .model.list('/api/v1/authenticators')
        .find((a) => a['key'] === key)!['status'];
    expect([status(1, 'phone_number'), status(1, 'security_question')]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([status(2, 'phone_number'), status(2, 'security_question')]).toEqual(['INACTIVE', 'INACTIVE']);
    expect(seeded(1, 60).model.get('/api/v1/threats/configuration')!['action']).toBe('audit');
    expect(seeded(2, 60).model.get('/api/v1/threats/configuration')!['action']).toBe('block');
  });
});
