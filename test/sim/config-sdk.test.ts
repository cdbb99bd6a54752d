import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, at, configSim } from './config-harness.js';

/**
 * Fidelity checked from outside: Okta's own Node SDK lists and reads every configuration family the
 * simulator serves (docs/simulator-config.md) and performs the writes, which land in the model and in
 * the System Log.
 */
describe("Okta's Node SDK against the configuration APIs", () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  beforeAll(async () => {
    s = await configSim();
  });
  afterAll(() => s.sim.close());

  it('lists policies of every seeded type with their rules, and reads each back', async () => {
    const api = s.client.policyApi;
    const types = [
      'OKTA_SIGN_ON',
      'ACCESS_POLICY',
      'PASSWORD',
      'MFA_ENROLL',
      'IDP_DISCOVERY',
      'PROFILE_ENROLLMENT',
    ] as const;
    let ruleCount = 0;
    for (const type of types) {
      const policies = await all(await api.listPolicies({ type, limit: '2' }));
      expect(policies.length, type).toBeGreaterThan(0);
      expect(policies.every((p) => p.type === type)).toBe(true);
      expect(policies.length).toBe(
        s.sim.config.list('/api/v1/policies').filter((p) => p['type'] === type).length,
      );
      for (const policy of policies) {
        expect((await api.getPolicy({ policyId: policy.id! })).name).toBe(policy.name);
        const rules = await all(await api.listPolicyRules({ policyId: policy.id! }));
        ruleCount += rules.length;
        for (const rule of rules) {
          expect((await api.getPolicyRule({ policyId: policy.id!, ruleId: rule.id! })).id).toBe(rule.id);
        }
      }
    }
    expect(ruleCount).toBe(s.sim.configProfile.size.policyRules);
    const admin = await api.getPolicyRule({
      policyId: s.sim.org.adminConsolePolicy.id,
      ruleId: s.sim.org.adminConsolePolicy.ruleId,
    });
    expect(at(admin, 'actions.appSignOn.verificationMethod.factorMode')).toBe('2FA');
  });

  it('lists and reads authenticators, zones, ThreatInsight, IdPs, apps, hooks, streams, origins, tokens, org and support', async () => {
    const authenticators = await all(await s.client.authenticatorApi.listAuthenticators());
    expect(authenticators.map((a) => a.key)).toEqual(
      expect.arrayContaining(['okta_password', 'okta_verify', 'phone_number', 'security_question']),
    );
    const phone = authenticators.find((a) => a.key === 'phone_number')!;
    // Seed 7 is odd: a weak org, SMS active.
    expect(phone.status).toBe('ACTIVE');
    expect((await s.client.authenticatorApi.getAuthenticator({ authenticatorId: phone.id! })).key).toBe(
      'phone_number',
    );

    const zones = await all(await s.client.networkZoneApi.listNetworkZones({ limit: 2 }));
    expect(zones.length).toBe(s.sim.configProfile.size.zones);
    expect(new Set(zones.map((z) => z.usage))).toEqual(new Set(['POLICY', 'BLOCKLIST']));
    expect(new Set(zones.map((z) => z.type))).toEqual(new Set(['IP', 'DYNAMIC', 'DYNAMIC_V2']));
    expect((await s.client.networkZoneApi.getNetworkZone({ zoneId: zones[0]!.id! })).name).toBe(
      zones[0]!.name,
    );

    expect((await s.client.threatInsightApi.getCurrentConfiguration()).action).toBe('audit');

    const idps = await all(await s.client.identityProviderApi.listIdentityProviders({}));
    expect(idps.map((i) => i.type)).toEqual(['GOOGLE']);
    expect((await s.client.identityProviderApi.getIdentityProvider({ idpId: idps[0]!.id! })).name).toBe(
      'Google Workspace',
    );

    const apps = await all(await s.client.applicationApi.listApplications({ limit: 5 }));
    expect(apps.length).toBe(s.sim.configProfile.size.apps);
    const consoleApp = await s.client.applicationApi.getApplication({ appId: s.sim.org.adminConsole.id });
    expect(consoleApp.label).toBe('Okta Admin Console');
    expect(at(consoleApp, '_links.accessPolicy.href')).toBe(
      `${s.sim.baseUrl}/api/v1/policies/${s.sim.org.adminConsolePolicy.id}`,
    );

    const hooks = await all(await s.client.eventHookApi.listEventHooks());
    expect(hooks.map((h) => h.channel.config.uri)).toEqual(['https://siem.example.com/okta/hooks']);
    expect((await s.client.eventHookApi.getEventHook({ eventHookId: hooks[0]!.id! })).status).toBe('ACTIVE');

    const streams = await all(await s.client.logStreamApi.listLogStreams({}));
    expect(streams.map((l) => l.type)).toEqual(['splunk_cloud_logstreaming']);
    expect((await s.client.logStreamApi.getLogStream({ logStreamId: streams[0]!.id })).name).toBe(
      'Splunk Cloud',
    );

    const origins = await all(await s.client.trustedOriginApi.listTrustedOrigins({}));
    expect(origins.map((o) => o.origin)).toEqual([
      'https://intranet.example.com',
      'https://support.example.com',
    ]);
    expect(
      (await s.client.trustedOriginApi.getTrustedOrigin({ trustedOriginId: origins[0]!.id! })).name,
    ).toBe('Intranet');

    const tokens = await all(await s.client.apiTokenApi.listApiTokens());
    expect(tokens.map((t) => t.network?.connection)).toEqual(['ZONE', 'ANYWHERE', 'ANYWHERE']);
    expect((await s.client.apiTokenApi.getApiToken({ apiTokenId: tokens[0]!.id! })).name).toBe(
      'Vigil collector',
    );

    expect((await s.client.orgSettingApi.getOrgSettings()).subdomain).toBe('example');
    const support = await s.client.orgSettingApi.getOrgOktaSupportSettings();
    expect(support.support).toBe('DISABLED');
    const cases = await s.client.orgSettingApi.listOktaSupportCases();
    expect(cases.supportCases!.map((c) => c.impersonation!.status)).toEqual(['DISABLED', 'DISABLED']);
  });

  it('lists role assignments of users, groups and OAuth clients', async () => {
    const assigned = await s.client.roleAssignmentApi.listUsersWithRoleAssignments({});
    const userIds = assigned.value!.map((u) => u.id!);
    expect(userIds.sort()).toEqual(s.sim.org.admins.map((a) => a.id).sort());
    const roles = await all(
      await s.client.roleAssignmentApi.listAssignedRolesForUser({ userId: s.sim.org.admins[0]!.id }),
    );
    expect(roles.map((r) => [at(r, 'type'), at(r, 'assignmentType')])).toEqual([['SUPER_ADMIN', 'USER']]);
    const admins = s.sim.config
      .list('/api/v1/groups')
      .find((g) => at(g, 'profile.name') === 'Okta Administrators')!;
    const groupRoles = await all(
      await s.client.roleAssignmentApi.listGroupAssignedRoles({ groupId: String(admins['id']) }),
    );
    expect(groupRoles.map((r) => at(r, 'type'))).toEqual(['ORG_ADMIN']);
    const terraform = s.sim.config.list('/api/v1/apps').find((a) => a['label'] === 'Terraform automation')!;
    const clientRoles = await all(
      await s.client.roleAssignmentApi.listRolesForClient({ clientId: String(terraform['id']) }),
    );
    expect(clientRoles.map((r) => [at(r, 'type'), at(r, 'assignmentType')])).toEqual([
      ['SUPER_ADMIN', 'CLIENT'],
    ]);
  });

  it('performs the writes: each changes the model and is recorded in the System Log', async () => {
    const { policyApi, networkZoneApi, roleAssignmentApi, identityProviderApi, orgSettingApi } = s.client;
    const p = s.sim.org.adminConsolePolicy;
    const rule = await policyApi.getPolicyRule({ policyId: p.id, ruleId: p.ruleId });
    (at(rule, 'actions.appSignOn.verificationMethod') as { factorMode: string }).factorMode = '1FA';
    await policyApi.replacePolicyRule({ policyId: p.id, ruleId: p.ruleId, policyRule: rule });
    expect(
      at(
        s.sim.config.get(`/api/v1/policies/${p.id}/rules/${p.ruleId}`),
        'actions.appSignOn.verificationMethod.factorMode',
      ),
    ).toBe('1FA');

    const zone = (await all(await networkZoneApi.listNetworkZones({}))).find(
      (z) => z.name === 'Corporate offices',
    )!;
    await networkZoneApi.replaceNetworkZone({
      zoneId: zone.id!,
      zone: Object.assign(zone, { gateways: [{ type: 'CIDR', value: '203.0.113.0/24' }] }),
    });
    await networkZoneApi.deactivateNetworkZone({ zoneId: zone.id! });
    expect(s.sim.config.get(`/api/v1/zones/${zone.id}`)!['status']).toBe('INACTIVE');

    const user = s.sim.org.users.find((u) => !u.isAdmin)!;
    const granted = await roleAssignmentApi.assignRoleToUser({
      userId: user.id,
      assignRoleRequest: { type: 'SUPER_ADMIN' },
    });
    expect(at(granted, 'type')).toBe('SUPER_ADMIN');
    await roleAssignmentApi.unassignRoleFromUser({ userId: user.id, roleId: String(at(granted, 'id')) });
    expect(s.sim.config.list(`/api/v1/users/${user.id}/roles`)).toEqual([]);

    const idp = await identityProviderApi.createIdentityProvider({
      identityProvider: { name: 'Partner SAML', type: 'SAML2', protocol: { type: 'SAML2' } },
    });
    expect(s.sim.config.get(`/api/v1/idps/${idp.id}`)!['name']).toBe('Partner SAML');

    await s.client.threatInsightApi.updateConfiguration({
      threatInsightConfiguration: { action: 'block', excludeZones: [] },
    });
    await orgSettingApi.grantOktaSupport();
    expect(s.sim.config.get('/api/v1/org/privacy/oktaSupport')!['support']).toBe('ENABLED');
    await orgSettingApi.revokeOktaSupport();

    const seen = async (type: string) => (await s.events(type)).map((e) => e.target?.[0]?.id);
    expect(await seen('policy.rule.update')).toEqual([p.ruleId]);
    expect(await seen('zone.update')).toEqual([zone.id]);
    expect(await seen('zone.deactivate')).toEqual([zone.id]);
    expect(await seen('user.account.privilege.grant')).toEqual([user.id]);
    expect(await seen('user.account.privilege.revoke')).toEqual([user.id]);
    expect(await seen('system.idp.lifecycle.create')).toEqual([idp.id]);
    expect((await s.events('security.threat.configuration.update')).length).toBe(1);
    expect((await s.events('user.session.impersonation.grant')).length).toBe(1);
    expect((await s.events('user.session.impersonation.revoke')).length).toBe(1);
  });

  it("performs the other families' writes through the SDK: policies, authenticators, groups and clients, tokens, apps, hooks, streams, origins, support cases", async () => {
    const c = s.client;
    const policy = await c.policyApi.createPolicy({
      policy: { name: 'SDK policy', type: 'PASSWORD', priority: 3 },
    });
    await c.policyApi.deactivatePolicy({ policyId: policy.id! });
    await c.policyApi.activatePolicy({ policyId: policy.id! });
    await c.policyApi.deletePolicy({ policyId: policy.id! });
    expect(s.sim.config.get(`/api/v1/policies/${policy.id}`)).toBeUndefined();

    const question = (await all(await c.authenticatorApi.listAuthenticators())).find(
      (a) => a.key === 'security_question',
    )!;
    expect((await c.authenticatorApi.deactivateAuthenticator({ authenticatorId: question.id! })).status).toBe(
      'INACTIVE',
    );

    const group = s.sim.config.list('/api/v1/groups').find((g) => at(g, 'profile.name') === 'Finance')!;
    const groupRole = await c.roleAssignmentApi.assignRoleToGroup({
      groupId: String(group['id']),
      assignRoleRequest: { type: 'READ_ONLY_ADMIN' },
    });
    await c.roleAssignmentApi.unassignRoleFromGroup({
      groupId: String(group['id']),
      roleId: String(at(groupRole, 'id')),
    });
    const client = s.sim.config.list('/api/v1/apps').find((a) => a['label'] === 'SIEM connector')!;
    const clientRole = await c.roleAssignmentApi.assignRoleToClient({
      clientId: String(client['id']),
      assignRoleRequest: { type: 'REPORT_ADMIN' },
    });
    await c.roleAssignmentApi.deleteRoleFromClient({
      clientId: String(client['id']),
      roleAssignmentId: String(at(clientRole, 'id')),
    });

    const token = (await all(await c.apiTokenApi.listApiTokens())).find(
      (t) => t.network?.connection === 'ANYWHERE',
    )!;
    await c.apiTokenApi.upsertApiToken({
      apiTokenId: token.id!,
      apiTokenUpdate: {
        name: token.name,
        userId: token.userId,
        clientName: 'Okta API',
        network: { connection: 'ZONE', include: ['nzoAAAAAAAAAAAAAAAAA'] },
      },
    });
    expect(at(s.sim.config.get(`/api/v1/api-tokens/${token.id}`), 'network.connection')).toBe('ZONE');
    await c.apiTokenApi.revokeApiToken({ apiTokenId: token.id! });

    const app = await c.applicationApi.createApplication({
      application: { name: 'bookmark', label: 'SDK app', signOnMode: 'BOOKMARK' } as never,
    });
    await c.applicationApi.deactivateApplication({ appId: app.id! });
    await c.applicationApi.deleteApplication({ appId: app.id! });

    const hook = (await all(await c.eventHookApi.listEventHooks()))[0]!;
    hook.channel.config.uri = 'https://hooks.example.net/okta';
    expect(
      (await c.eventHookApi.replaceEventHook({ eventHookId: hook.id!, eventHook: hook })).channel.config.uri,
    ).toBe('https://hooks.example.net/okta');
    await c.eventHookApi.deactivateEventHook({ eventHookId: hook.id! });
    const stream = (await all(await c.logStreamApi.listLogStreams({})))[0]!;
    await c.logStreamApi.deactivateLogStream({ logStreamId: stream.id });
    const origin = await c.trustedOriginApi.createTrustedOrigin({
      trustedOrigin: { name: 'SDK', origin: 'https://sdk.example', scopes: [{ type: 'CORS' }] },
    });
    await c.trustedOriginApi.deleteTrustedOrigin({ trustedOriginId: origin.id! });

    const [supportCase] = (await c.orgSettingApi.listOktaSupportCases()).supportCases!;
    await c.orgSettingApi.updateOktaSupportCase({
      caseNumber: supportCase!.caseNumber!,
      oktaSupportCase: { impersonation: { status: 'ENABLED' } },
    });
    expect((await c.orgSettingApi.listOktaSupportCases()).supportCases![0]!.impersonation!.status).toBe(
      'ENABLED',
    );
    await c.orgSettingApi.grantOktaSupport();
    await c.orgSettingApi.extendOktaSupport();

    for (const type of [
      'policy.lifecycle.create',
      'policy.lifecycle.deactivate',
      'policy.lifecycle.activate',
      'policy.lifecycle.delete',
      'security.authenticator.lifecycle.deactivate',
      'group.privilege.grant',
      'group.privilege.revoke',
      'app.oauth2.client.privilege.grant',
      'app.oauth2.client.privilege.revoke',
      'system.api_token.update',
      'system.api_token.revoke',
      'application.lifecycle.create',
      'application.lifecycle.deactivate',
      'application.lifecycle.delete',
      'event_hook.updated',
      'event_hook.deactivated',
      'system.log_stream.lifecycle.deactivate',
      'security.trusted_origin.create',
      'security.trusted_origin.delete',
      'user.session.impersonation.extend',
    ]) {
      expect((await s.events(type)).length, type).toBe(1);
    }
  });
});
