import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import { at, configSim, rows } from './config-harness.js';

/**
 * The write endpoints of docs/simulator-config.md: each changes the model and emits the System Log
 * event Okta emits, with its target, changeDetails and debugContext; refused writes change nothing.
 */
describe('configuration writes', () => {
  let s: Awaited<ReturnType<typeof configSim>>;
  beforeAll(async () => {
    s = await configSim();
  });
  afterAll(() => s.sim.close());

  const admin = () => s.sim.org.admins[0]!;
  const one = async (eventType: string): Promise<OktaLogEvent> => {
    const found = await s.events(eventType);
    expect(
      found.map((e) => e.eventType),
      eventType,
    ).toEqual([eventType]);
    const event = found[0]!;
    expect(event.actor).toMatchObject({ id: admin().id, type: 'User', alternateId: admin().login });
    expect(admin().ips).toContain(event.client?.ipAddress);
    expect(event.outcome?.result).toBe('SUCCESS');
    return event;
  };
  const id = (r: { json: unknown }) => String(at(r.json, 'id'));

  it('policies: create, update, deactivate, activate, delete, each with its policy.lifecycle event', async () => {
    const created = await s.call('POST', '/api/v1/policies', {
      type: 'PASSWORD',
      name: 'Contractors',
      priority: 2,
      system: true,
      id: 'x',
      created: 'x',
    });
    expect(created.status).toBe(200);
    const pid = id(created);
    expect(pid).toMatch(/^00p[A-Za-z0-9]{17}$/);
    // Server-owned fields come from the model, never from the body.
    expect(at(created.json, 'created')).toBe(new Date(s.clock.now()).toISOString());
    expect(at(created.json, 'system')).toBe(false);
    expect(at(created.json, '_links.rules.href')).toBe(
      `${s.sim.baseUrl}/api/v1/policies/${String(at(created.json, 'id'))}/rules`,
    );
    const create = await one('policy.lifecycle.create');
    expect(create.target).toEqual([
      {
        id: pid,
        type: 'PolicyEntity',
        alternateId: 'unknown',
        displayName: 'Contractors',
        detailEntry: { policyType: 'Password' },
      },
    ]);
    expect(create.debugContext?.debugData?.['requestUri']).toBe('/api/v1/policies');

    const policy = s.sim.config.get(`/api/v1/policies/${pid}`)!;
    expect(
      (await s.call('PUT', `/api/v1/policies/${pid}`, { ...policy, name: 'Contractors (strict)' })).status,
    ).toBe(200);
    expect((await one('policy.lifecycle.update')).target?.[0]?.changeDetails).toEqual({
      from: { name: 'Contractors' },
      to: { name: 'Contractors (strict)' },
    });

    expect((await s.call('POST', `/api/v1/policies/${pid}/lifecycle/deactivate`)).status).toBe(204);
    expect(s.sim.config.get(`/api/v1/policies/${pid}`)!['status']).toBe('INACTIVE');
    expect((await one('policy.lifecycle.deactivate')).debugContext?.debugData?.['requestUri']).toBe(
      `/api/v1/policies/${pid}/lifecycle/deactivate`,
    );
    expect((await s.call('POST', `/api/v1/policies/${pid}/lifecycle/activate`)).status).toBe(204);
    await one('policy.lifecycle.activate');
    expect((await s.call('DELETE', `/api/v1/policies/${pid}`)).status).toBe(204);
    expect(s.sim.config.get(`/api/v1/policies/${pid}`)).toBeUndefined();
    await one('policy.lifecycle.delete');
  });

  it('policy rules: add, and an update whose changeDetails carry the actions as JSON, rule then policy in target', async () => {
    const p = s.sim.org.adminConsolePolicy;
    const added = await s.call('POST', `/api/v1/policies/${p.id}/rules`, {
      name: 'Contractors',
      type: 'ACCESS_POLICY',
      priority: 5,
      system: false,
      actions: {
        appSignOn: { access: 'DENY', verificationMethod: { type: 'ASSURANCE', factorMode: '2FA' } },
      },
    });
    expect(added.status).toBe(200);
    const add = await one('policy.rule.add');
    expect(add.target?.map((t) => [t.id, t.type])).toEqual([
      [id(added), 'PolicyRule'],
      [p.id, 'PolicyEntity'],
    ]);

    const path = `/api/v1/policies/${p.id}/rules/${p.ruleId}`;
    const before = s.sim.config.get(path)!;
    const after = structuredClone(before);
    (at(after, 'actions.appSignOn.verificationMethod') as Record<string, unknown>)['factorMode'] = '1FA';
    const written = s.clock.now();
    expect((await s.call('PUT', path, after)).status).toBe(200);
    const update = await one('policy.rule.update');
    expect(update.target?.[0]).toMatchObject({ id: p.ruleId, type: 'PolicyRule', displayName: 'Admin MFA' });
    expect(update.target?.[1]).toMatchObject({
      id: p.id,
      type: 'PolicyEntity',
      displayName: 'Okta Admin Console',
    });
    const change = update.target?.[0]?.changeDetails as {
      from: Record<string, string>;
      to: Record<string, string>;
    };
    expect(Object.keys(change.to)).toEqual(['policyRuleActionJson']);
    expect(
      at(JSON.parse(change.from['policyRuleActionJson']!), 'appSignOn.verificationMethod.factorMode'),
    ).toBe('2FA');
    expect(
      at(JSON.parse(change.to['policyRuleActionJson']!), 'appSignOn.verificationMethod.factorMode'),
    ).toBe('1FA');
    expect(s.sim.config.get(path)!['lastUpdated']).toBe(new Date(written).toISOString());
  });

  it('authenticators, zones, ThreatInsight: their lifecycle and update events', async () => {
    const sms = s.sim.config.list('/api/v1/authenticators').find((a) => a['key'] === 'phone_number')!;
    expect(
      (await s.call('POST', `/api/v1/authenticators/${String(sms['id'])}/lifecycle/deactivate`)).status,
    ).toBe(200);
    expect((await one('security.authenticator.lifecycle.deactivate')).target?.[0]).toMatchObject({
      id: sms['id'],
      type: 'Authenticator',
      alternateId: 'phone_number',
    });
    expect((await s.call('DELETE', `/api/v1/authenticators/${String(sms['id'])}`)).status).toBe(405);

    const zone = s.sim.config.list('/api/v1/zones').find((z) => z['name'] === 'Corporate offices')!;
    const gateways = [{ type: 'CIDR', value: '203.0.113.0/24' }];
    expect((await s.call('PUT', `/api/v1/zones/${String(zone['id'])}`, { ...zone, gateways })).status).toBe(
      200,
    );
    expect((await one('zone.update')).target?.[0]?.changeDetails).toEqual({
      from: { gateways: zone['gateways'] },
      to: { gateways },
    });
    const created = await s.call('POST', '/api/v1/zones', {
      type: 'IP',
      name: 'Lab',
      usage: 'POLICY',
      system: false,
      gateways,
    });
    await one('zone.create');
    const refused = await s.call('DELETE', `/api/v1/zones/${id(created)}`);
    expect([refused.status, at(refused.json, 'errorCode')]).toEqual([403, 'E0000056']);
    await s.call('POST', `/api/v1/zones/${id(created)}/lifecycle/deactivate`);
    expect((await s.call('DELETE', `/api/v1/zones/${id(created)}`)).status).toBe(204);
    await one('zone.delete');

    const threats = await s.call('POST', '/api/v1/threats/configuration', {
      action: 'block',
      excludeZones: [],
    });
    expect(at(threats.json, 'action')).toBe('block');
    const update = await one('security.threat.configuration.update');
    expect(update.target?.[0]).toMatchObject({
      type: 'ThreatInsightConfiguration',
      changeDetails: { from: { action: 'audit' }, to: { action: 'block' } },
    });
  });

  it('role assignments to users, groups and clients: privilege grant and revoke events naming the role', async () => {
    const user = s.sim.org.users.find((u) => !u.isAdmin)!;
    const granted = await s.call('POST', `/api/v1/users/${user.id}/roles`, { type: 'SUPER_ADMIN' });
    expect(granted.status).toBe(201);
    expect(granted.json).toMatchObject({
      type: 'SUPER_ADMIN',
      label: 'Super Administrator',
      assignmentType: 'USER',
      status: 'ACTIVE',
    });
    const grant = await one('user.account.privilege.grant');
    expect(grant.target).toEqual([
      {
        id: user.id,
        type: 'User',
        alternateId: user.login,
        displayName: user.displayName,
        detailEntry: null,
      },
    ]);
    expect(grant.debugContext?.debugData?.['privilegeGranted']).toBe('Super Administrator');
    const users = rows(at((await s.call('GET', '/api/v1/iam/assignees/users')).json, 'value')).map(
      (u) => u['id'],
    );
    expect(users).toContain(user.id);
    const dup = await s.call('POST', `/api/v1/users/${user.id}/roles`, { type: 'SUPER_ADMIN' });
    expect([dup.status, at(dup.json, 'errorCode')]).toEqual([409, 'E0000090']);
    const bad = await s.call('POST', `/api/v1/users/${user.id}/roles`, { type: 'GOD_MODE' });
    expect([bad.status, at(bad.json, 'errorCode')]).toEqual([400, 'E0000001']);
    expect((await s.call('DELETE', `/api/v1/users/${user.id}/roles/${id(granted)}`)).status).toBe(204);
    expect((await one('user.account.privilege.revoke')).debugContext?.debugData?.['privilegeRevoked']).toBe(
      'Super Administrator',
    );

    const group = s.sim.config.list('/api/v1/groups').find((g) => at(g, 'profile.name') === 'Sales')!;
    const g = await s.call('POST', `/api/v1/groups/${String(group['id'])}/roles`, { type: 'USER_ADMIN' });
    expect(g.json).toMatchObject({ assignmentType: 'GROUP' });
    expect((await one('group.privilege.grant')).target?.[0]).toMatchObject({
      id: group['id'],
      type: 'UserGroup',
      displayName: 'Sales',
    });
    await s.call('DELETE', `/api/v1/groups/${String(group['id'])}/roles/${id(g)}`);
    await one('group.privilege.revoke');

    const client = s.sim.config.list('/api/v1/apps').find((a) => a['label'] === 'SIEM connector')!;
    const c = await s.call('POST', `/oauth2/v1/clients/${String(client['id'])}/roles`, {
      type: 'READ_ONLY_ADMIN',
    });
    expect(c.json).toMatchObject({ assignmentType: 'CLIENT' });
    expect((await one('app.oauth2.client.privilege.grant')).target?.[0]).toMatchObject({
      id: client['id'],
      type: 'AppInstance',
    });
    await s.call('DELETE', `/oauth2/v1/clients/${String(client['id'])}/roles/${id(c)}`);
    await one('app.oauth2.client.privilege.revoke');
    // A SAML app is no OAuth client.
    expect(
      (await s.call('POST', `/oauth2/v1/clients/${s.sim.org.apps[0]!.id}/roles`, { type: 'READ_ONLY_ADMIN' }))
        .status,
    ).toBe(404);
  });

  it('API tokens, IdPs, apps, event hooks, log streams, trusted origins', async () => {
    const token = s.sim.config.list('/api/v1/api-tokens').find((t) => t['name'] === 'SCIM provisioning')!;
    const network = { connection: 'ZONE', include: ['nzo00000000000000001'] };
    expect(
      (
        await s.call('PUT', `/api/v1/api-tokens/${String(token['id'])}`, {
          name: token['name'],
          userId: token['userId'],
          clientName: 'Okta API',
          tokenWindow: 'P30D',
          network,
        })
      ).status,
    ).toBe(200);
    expect((await one('system.api_token.update')).target?.[0]).toMatchObject({
      id: token['id'],
      type: 'Token',
      changeDetails: { from: { network: { connection: 'ANYWHERE' } }, to: { network } },
    });
    expect((await s.call('DELETE', `/api/v1/api-tokens/${String(token['id'])}`)).status).toBe(204);
    await one('system.api_token.revoke');
    expect((await s.call('POST', '/api/v1/api-tokens', { name: 'x' })).status).toBe(405);

    const idp = await s.call('POST', '/api/v1/idps', {
      name: 'Partner',
      type: 'OIDC',
      protocol: { type: 'OIDC' },
    });
    await one('system.idp.lifecycle.create');
    await s.call('POST', `/api/v1/idps/${id(idp)}/lifecycle/deactivate`);
    await one('system.idp.lifecycle.deactivate');
    expect((await s.call('DELETE', `/api/v1/idps/${id(idp)}`)).status).toBe(204);
    await one('system.idp.lifecycle.delete');

    const app = await s.call('POST', '/api/v1/apps', {
      name: 'bookmark',
      label: 'Wiki',
      signOnMode: 'BOOKMARK',
    });
    const defaultAccess = s.sim.config
      .list('/api/v1/policies')
      .find((p) => p['type'] === 'ACCESS_POLICY' && p['system'] === true)!;
    expect(at(app.json, '_links.accessPolicy.href')).toBe(
      `${s.sim.baseUrl}/api/v1/policies/${String(defaultAccess['id'])}`,
    );
    expect((await one('application.lifecycle.create')).target?.[0]).toMatchObject({
      id: id(app),
      type: 'AppInstance',
      alternateId: 'Wiki',
    });
    expect((await s.call('DELETE', `/api/v1/apps/${id(app)}`)).status).toBe(403);
    const deactivated = await s.call('POST', `/api/v1/apps/${id(app)}/lifecycle/deactivate`);
    expect([deactivated.status, deactivated.json]).toEqual([200, {}]);
    await one('application.lifecycle.deactivate');

    const hook = s.sim.config.list('/api/v1/eventHooks')[0]!;
    const channel = structuredClone(hook['channel']) as Record<string, Record<string, unknown>>;
    channel['config']!['uri'] = 'https://collector.attacker.example/hook';
    await s.call('PUT', `/api/v1/eventHooks/${String(hook['id'])}`, { ...hook, channel });
    const updated = await one('event_hook.updated');
    expect(at(updated.target?.[0]?.changeDetails, 'to.channel.config.uri')).toBe(
      'https://collector.attacker.example/hook',
    );
    await s.call('POST', `/api/v1/eventHooks/${String(hook['id'])}/lifecycle/deactivate`);
    await one('event_hook.deactivated');

    const stream = s.sim.config.list('/api/v1/logStreams')[0]!;
    await s.call('POST', `/api/v1/logStreams/${String(stream['id'])}/lifecycle/deactivate`);
    expect((await one('system.log_stream.lifecycle.deactivate')).target?.[0]).toMatchObject({
      id: stream['id'],
      type: 'LogStream',
    });

    const origin = await s.call('POST', '/api/v1/trustedOrigins', {
      name: 'Evil',
      origin: 'https://evil.example',
      scopes: [{ type: 'CORS' }],
    });
    expect((await one('security.trusted_origin.create')).target?.[0]).toMatchObject({
      id: id(origin),
      alternateId: 'https://evil.example',
    });
    await s.call('POST', `/api/v1/trustedOrigins/${id(origin)}/lifecycle/deactivate`);
    await one('security.trusted_origin.deactivate');
    await s.call('DELETE', `/api/v1/trustedOrigins/${id(origin)}`);
    await one('security.trusted_origin.delete');
  });

  it('Okta support access: grant, extend, revoke, and a case approved for impersonation', async () => {
    const extendFirst = await s.call('POST', '/api/v1/org/privacy/oktaSupport/extend');
    expect([extendFirst.status, at(extendFirst.json, 'errorCode')]).toEqual([400, 'E0000001']);
    const granted = await s.call('POST', '/api/v1/org/privacy/oktaSupport/grant');
    expect(granted.json).toMatchObject({ support: 'ENABLED' });
    expect(Date.parse(String(at(granted.json, 'expiration')))).toBe(s.clock.now() + 8 * 3_600_000);
    expect((await one('user.session.impersonation.grant')).target?.[0]).toMatchObject({
      id: admin().id,
      type: 'User',
    });
    await s.call('POST', '/api/v1/org/privacy/oktaSupport/extend');
    await one('user.session.impersonation.extend');
    await s.call('POST', '/api/v1/org/privacy/oktaSupport/revoke');
    await one('user.session.impersonation.revoke');
    expect(s.sim.config.get('/api/v1/org/privacy/oktaSupport')).toMatchObject({
      support: 'DISABLED',
      expiration: null,
    });

    const number = String(s.sim.config.list('/api/v1/org/privacy/oktaSupport/cases')[0]!['caseNumber']);
    const approved = await s.call('PATCH', `/api/v1/org/privacy/oktaSupport/cases/${number}`, {
      impersonation: { status: 'ENABLED' },
    });
    expect(at(approved.json, 'impersonation.status')).toBe('ENABLED');
    const events = await s.events('user.session.impersonation.grant');
    expect(events.map((e) => e.debugContext?.debugData?.['caseNumber'])).toEqual([undefined, number]);
  });

  it('refuses writes that break the schema, delete system objects or carry bad JSON, changing nothing and logging nothing', async () => {
    const p = s.sim.org.signOnPolicy;
    const path = `/api/v1/policies/${p.id}/rules/${p.ruleId}`;
    const before = s.sim.config.get(path)!;
    const logged = (await s.events('policy.rule.update')).length;
    const broken = structuredClone(before);
    (at(broken, 'actions.signon.session') as Record<string, unknown>)['maxSessionLifetimeMinutes'] = -5;
    broken['status'] = 'SOMETIMES';
    const r = await s.call('PUT', path, broken);
    expect([r.status, at(r.json, 'errorCode')]).toEqual([400, 'E0000001']);
    const causes = rows(at(r.json, 'errorCauses')).map((c) => String(c['errorSummary']));
    expect(causes.some((c) => c.startsWith('status:'))).toBe(true);
    expect(causes.some((c) => c.startsWith('actions.signon.session.maxSessionLifetimeMinutes:'))).toBe(true);
    expect(s.sim.config.get(path)).toEqual(before);

    const system = await s.call('DELETE', path);
    expect([system.status, at(system.json, 'errorCode')]).toEqual([403, 'E0000006']);
    expect((await s.call('PUT', '/api/v1/zones/nzo00000000000000000', {})).status).toBe(404);
    const res = await fetch(`${s.sim.baseUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `SSWS ${s.sim.token}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000003');
    expect(s.sim.config.get(path)).toEqual(before);
    expect((await s.events('policy.rule.update')).length).toBe(logged);
    expect((await s.events('policy.rule.delete')).length).toBe(0);
  });
});
