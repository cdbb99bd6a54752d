import { Client } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSim } from './sim-harness.js';

/**
 * Okta's own Node SDK drives every endpoint Vigil's response pillar uses against the simulator
 * (docs/simulator-response.md): the support cases API, support access, and the containment calls.
 * Each write changes the org and writes the System Log event Okta writes.
 */
describe("Okta's Node SDK against the simulator's support and containment endpoints", () => {
  let s: Awaited<ReturnType<typeof smallSim>>;
  let client: Client;
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${s.sim.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `SSWS ${s.sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Events written after `since` (the clock moves past Okta's commit lag first). */
  const eventsSince = (since: number) => {
    s.clock.advance(15_000);
    return s.sim.truth().filter((e) => Date.parse(e.published) >= since);
  };

  beforeAll(async () => {
    s = await smallSim({ control: true });
    client = new Client({ orgUrl: s.sim.baseUrl, token: s.sim.token });
  });
  afterAll(() => s.sim.close());

  it('lists support cases, enables a self-assigned case by approving it, and logs the grant with its case', async () => {
    const opened = await control('/sim/support-cases', { subject: 'SSO outage', selfAssigned: true });
    expect(opened.status).toBe(201);
    const caseNumber = String(opened.body['caseNumber']);
    const listed = await client.orgSettingApi.listOktaSupportCases();
    const found = listed.supportCases?.find((c) => c.caseNumber === caseNumber);
    expect(found?.selfAssigned?.status).toBe('REQUESTED');
    expect(found?.impersonation?.status).toBe('REQUESTED');

    const since = s.clock.now();
    const updated = await client.orgSettingApi.updateOktaSupportCase({
      caseNumber,
      oktaSupportCase: {
        impersonation: { status: 'ENABLED' },
        selfAssigned: { status: 'APPROVED' },
      } as never,
    });
    expect(updated.impersonation?.status).toBe('ENABLED');
    expect(updated.impersonation?.expiration).toBeTruthy();
    expect(updated.selfAssigned?.status).toBe('APPROVED');
    const grant = eventsSince(since).find((e) => e.eventType === 'user.session.impersonation.grant');
    expect(grant?.debugContext?.debugData?.['caseNumber']).toBe(caseNumber);
  });

  it('grants and revokes org-wide support access (the deprecated endpoints) with their events', async () => {
    const since = s.clock.now();
    await client.orgSettingApi.grantOktaSupport();
    expect((await client.orgSettingApi.getOrgOktaSupportSettings()).support).toBe('ENABLED');
    await client.orgSettingApi.revokeOktaSupport();
    expect((await client.orgSettingApi.getOrgOktaSupportSettings()).support).toBe('DISABLED');
    expect(eventsSince(since).map((e) => e.eventType)).toEqual([
      'user.session.impersonation.grant',
      'user.session.impersonation.revoke',
    ]);
  });

  it('clears sessions, suspends and resets factors of a user', async () => {
    const user = s.sim.org.users[4]!;
    const since = s.clock.now();
    await client.userApi.revokeUserSessions({ userId: user.id });
    await client.userApi.resetFactors({ userId: user.id });
    await client.userApi.suspendUser({ userId: user.id });
    expect((await client.userApi.getUser({ userId: user.id })).status).toBe('SUSPENDED');
    expect(s.sim.containment.user(user.id).sessionsClearedAt).toHaveLength(1);
    expect(s.sim.containment.user(user.id).factorsResetAt).toHaveLength(1);
    const events = eventsSince(since);
    // One instant on the pinned clock: the log orders same-millisecond events by uuid.
    expect(events.map((e) => e.eventType).sort()).toEqual([
      'user.lifecycle.suspend',
      'user.mfa.factor.reset_all',
      'user.session.clear',
    ]);
    for (const e of events) expect(e.target?.[0]?.id).toBe(user.id);
    // Okta refuses to suspend a user who is not ACTIVE.
    await expect(client.userApi.suspendUser({ userId: user.id })).rejects.toMatchObject({ status: 400 });
  });

  it('revokes an API token, deactivates an IdP and replaces a policy rule', async () => {
    const token = s.sim.config.list('/api/v1/api-tokens')[0]!;
    const idp = s.sim.config.list('/api/v1/idps').find((i) => i['status'] === 'ACTIVE')!;
    const policy = s.sim.config.list('/api/v1/policies').find((p) => p['type'] === 'OKTA_SIGN_ON')!;
    const rule = s.sim.config.list(`/api/v1/policies/${String(policy['id'])}/rules`)[0]!;
    const since = s.clock.now();
    await client.apiTokenApi.revokeApiToken({ apiTokenId: String(token['id']) });
    expect(s.sim.config.get(`/api/v1/api-tokens/${String(token['id'])}`)).toBeUndefined();
    const deactivated = await client.identityProviderApi.deactivateIdentityProvider({
      idpId: String(idp['id']),
    });
    expect(deactivated.status).toBe('INACTIVE');
    const ids = { policyId: String(policy['id']), ruleId: String(rule['id']) };
    const read = await client.policyApi.getPolicyRule(ids);
    read.name = `${String(rule['name'])} (restored)`;
    const replaced = await client.policyApi.replacePolicyRule({ ...ids, policyRule: read });
    expect(replaced.name).toBe(`${String(rule['name'])} (restored)`);
    expect(
      eventsSince(since)
        .map((e) => e.eventType)
        .sort(),
    ).toEqual(['policy.rule.update', 'system.api_token.revoke', 'system.idp.lifecycle.deactivate']);
  });

  it('plays Okta Support in the org: impersonation under a case, a view, a reset, the end', async () => {
    const since = s.clock.now();
    const victim = s.sim.org.users[6]!;
    for (const [i, body] of [
      { action: 'initiate', caseNumber: '12345678' },
      { action: 'view', caseNumber: '12345678', supportAction: 'VIEW_USER' },
      { action: 'reset_password', user: victim.id },
      { action: 'end', caseNumber: '12345678' },
    ].entries()) {
      s.clock.advance(i === 0 ? 0 : 1_000);
      expect((await control('/sim/support-activity', body)).status).toBe(201);
    }
    const events = eventsSince(since);
    expect(events.map((e) => e.eventType)).toEqual([
      'user.session.impersonation.initiate',
      'support.org.view',
      'user.account.reset_password',
      'user.session.impersonation.end',
    ]);
    expect(events[0]!.target?.find((t) => t.type === 'CaseNumber')?.id).toBe('12345678');
    expect(events[1]!.debugContext?.debugData?.['supportAction']).toBe('VIEW_USER');
    expect(events[2]!.actor?.alternateId).toBe('system@okta.com');
    expect(events[2]!.transaction?.id).toBe('unknown');
    expect((await control('/sim/support-activity', { action: 'dance' })).body['errorCode']).toBe('E0000001');
  });
});
