import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import { at, configSim, rows } from './config-harness.js';

/** The scenarios that change the org's configuration leave the log and the configuration in agreement. */
describe('scenarios change the configuration their events record', () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  let plain: Awaited<ReturnType<typeof configSim>>;
  beforeAll(async () => {
    s = await configSim({
      scenarios: [{ name: 'cross-tenant-2023' }, { name: 'har-2023' }, { name: 'lapsus-2022' }],
    });
    plain = await configSim();
  });
  afterAll(async () => {
    await s.sim.close();
    await plain.sim.close();
  });
  const event = (type: string): OktaLogEvent => s.sim.truth().find((e) => e.eventType === type)!;

  it('cross-tenant-2023: the admin rule is at the factor mode the policy.rule.update event gives, and its IdP exists', async () => {
    const update = event('policy.rule.update');
    const [rule, policy] = update.target!;
    const served = await s.call('GET', `/api/v1/policies/${policy!.id}/rules/${rule!.id}`);
    expect(served.status).toBe(200);
    const to = JSON.parse(String(at(rule!.changeDetails, 'to.policyRuleActionJson'))) as unknown;
    expect(at(served.json, 'actions')).toEqual(to);
    expect(at(served.json, 'actions.appSignOn.verificationMethod.factorMode')).toBe('1FA');
    expect(at(served.json, 'lastUpdated')).toBe(update.published);
    const from = JSON.parse(String(at(rule!.changeDetails, 'from.policyRuleActionJson'))) as unknown;
    expect(
      at((await plain.call('GET', `/api/v1/policies/${policy!.id}/rules/${rule!.id}`)).json, 'actions'),
    ).toEqual(from);

    const created = event('system.idp.lifecycle.create').target![0]!;
    const idp = await s.call('GET', `/api/v1/idps/${created.id}`);
    expect(idp.json).toMatchObject({
      name: created.displayName,
      status: 'ACTIVE',
      created: event('system.idp.lifecycle.create').published,
    });
    expect((await plain.call('GET', `/api/v1/idps/${created.id}`)).status).toBe(404);
  });

  it('har-2023: the back-door user holds SUPER_ADMIN and the token the log records exists', async () => {
    const backdoor = event('user.account.privilege.grant').target![0]!.id;
    const roles = rows((await s.call('GET', `/api/v1/users/${backdoor}/roles`)).json);
    expect(roles.map((r) => [r['type'], r['assignmentType']])).toEqual([['SUPER_ADMIN', 'USER']]);
    const users = rows(at((await s.call('GET', '/api/v1/iam/assignees/users?limit=100')).json, 'value')).map(
      (u) => u['id'],
    );
    expect(users).toContain(backdoor);
    const token = event('system.api_token.create').target![0]!;
    const served = await s.call('GET', `/api/v1/api-tokens/${token.id}`);
    expect(served.json).toMatchObject({
      name: token.displayName,
      userId: event('system.api_token.create').actor.id,
    });
    expect((await plain.call('GET', `/api/v1/users/${backdoor}/roles`)).status).toBe(404);
  });

  it('lapsus-2022: Okta support access is ENABLED from its grant for 8 hours', async () => {
    const granted = Date.parse(event('user.session.impersonation.grant').published);
    const support = (await s.call('GET', '/api/v1/org/privacy/oktaSupport')).json;
    expect(support).toMatchObject({
      support: 'ENABLED',
      expiration: new Date(granted + 8 * 3_600_000).toISOString(),
    });
    expect(at((await plain.call('GET', '/api/v1/org/privacy/oktaSupport')).json, 'support')).toBe('DISABLED');
  });
});
