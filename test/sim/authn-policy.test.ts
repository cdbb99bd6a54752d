import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, authnSim, ELSEWHERE_IP, OFFICE_IP } from './authn-harness.js';

/**
 * Sign-in follows the org's configuration: the password policy's lockout (and its auto-unlock on
 * the simulator's clock), the global session policy's network-zone and group conditions.
 */
describe('authn enforces the configuration', () => {
  let s: Awaited<ReturnType<typeof authnSim>>;
  beforeEach(async () => {
    s = await authnSim();
  });
  afterEach(() => s.sim.close());

  it('locks the account at maxAttempts failures (then even the right password is refused), unlocks after autoUnlockMinutes', async () => {
    await s.lockout({ maxAttempts: 3, autoUnlockMinutes: 30 });
    const c = await s.canary({ login: 'lock@canary.test' });
    for (let i = 0; i < 3; i++) {
      s.clock.advance(1_000);
      expect((await s.signIn(c.login, `wrong-${i}`)).status).toBe(401);
    }
    s.clock.advance(1_000);
    const locked = await s.signIn(c.login, c.password);
    expect(locked.status).toBe(401);
    expect(locked.body['errorCode']).toBe('E0000004');
    expect(at((await s.call('GET', `/api/v1/users/${c.id}`)).json, 'status')).toBe('LOCKED_OUT');
    const lockEvents = await s.eventsOf(c.login, 'user.account.lock');
    expect(lockEvents).toHaveLength(1);
    expect(lockEvents[0]!.outcome).toEqual({ result: 'FAILURE', reason: 'LOCKED_OUT' });
    const reasons = (await s.eventsOf(c.login, 'user.session.start')).map((e) => e.outcome?.reason);
    expect(reasons).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'LOCKED_OUT',
    ]);

    s.clock.advance(29 * 60_000 - 60_000);
    expect((await s.signIn(c.login, c.password)).status).toBe(401);
    s.clock.advance(2 * 60_000);
    const back = await s.signIn(c.login, c.password);
    expect(back.body['status']).toBe('SUCCESS');
    const unlock = (await s.events('user.account.unlock')).filter((e) => e.target?.[0]?.id === c.id);
    expect(unlock).toHaveLength(1);
    expect(unlock[0]!.actor.type).toBe('SystemPrincipal');
  });

  it('a password policy without lockout (maxAttempts 0) never locks; a good password resets the count', async () => {
    await s.lockout({ maxAttempts: 0 });
    const c = await s.canary({ login: 'nolock@canary.test' });
    for (let i = 0; i < 12; i++) {
      s.clock.advance(1_000);
      await s.signIn(c.login, 'wrong');
    }
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
    await s.lockout({ maxAttempts: 2 });
    await s.signIn(c.login, 'wrong');
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
    s.clock.advance(1_000);
    await s.signIn(c.login, 'wrong');
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
  });

  it('shows LOCKED_OUT with the unlock link when the policy shows lockout failures; an admin unlock frees the account', async () => {
    await s.lockout({ maxAttempts: 1, autoUnlockMinutes: 0, showLockoutFailures: true });
    const c = await s.canary({ login: 'shown@canary.test' });
    const r = await s.signIn(c.login, 'wrong');
    expect(r.status).toBe(200);
    expect(r.body['status']).toBe('LOCKED_OUT');
    expect(at(r.body, '_links.next.name')).toBe('unlock');
    s.clock.advance(24 * 3_600_000);
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('LOCKED_OUT');
    const unlocked = await s.call('POST', `/api/v1/users/${c.id}/lifecycle/unlock`);
    expect(unlocked.status).toBe(200);
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
    const again = await s.call('POST', `/api/v1/users/${c.id}/lifecycle/unlock`);
    expect(again.status).toBe(403);
    expect(at(again.json, 'errorCode')).toBe('E0000032');
    const byAdmin = (await s.events('user.account.unlock_by_admin')).filter(
      (e) => e.target?.[0]?.id === c.id,
    );
    expect(byAdmin).toHaveLength(1);
    expect(byAdmin[0]!.actor.id).toBe(s.sim.org.admins[0]!.id);
  });

  it("a rule's network zone: allowed from the office range, denied elsewhere (policy.evaluate_sign_on names the rule)", async () => {
    const helpDesk = await s.groupId('Help Desk');
    const corporate = await s.zoneId('Corporate offices');
    const { policyId, ruleIds } = await s.sessionPolicy(helpDesk, [
      { name: 'Offices', network: { connection: 'ZONE', include: [corporate] }, access: 'ALLOW' },
      { name: 'Elsewhere', network: { connection: 'ANYWHERE' }, access: 'DENY' },
    ]);
    const c = await s.canary({ login: 'zoned@canary.test', groups: ['Help Desk'] });
    expect((await s.signIn(c.login, c.password, OFFICE_IP)).body['status']).toBe('SUCCESS');
    s.clock.advance(1_000);
    const away = await s.signIn(c.login, c.password, ELSEWHERE_IP);
    expect(away.status).toBe(401);
    expect(away.body['errorCode']).toBe('E0000004');
    const evaluated = await s.eventsOf(c.login, 'policy.evaluate_sign_on');
    expect(evaluated.map((e) => [e.outcome?.result, e.target?.[0]?.id, e.target?.[1]?.id])).toEqual([
      ['ALLOW', policyId, ruleIds[0]],
      ['DENY', policyId, ruleIds[1]],
    ]);
    const denied = (await s.eventsOf(c.login, 'user.session.start')).map((e) => e.outcome?.reason);
    expect(denied).toEqual([null, 'POLICY_DENY']);
  });

  it("a policy's group condition: members of the group are denied, others follow the default policy", async () => {
    const team = s.team.id;
    await s.sessionPolicy(team, [
      { name: 'No sign-in', network: { connection: 'ANYWHERE' }, access: 'DENY' },
    ]);
    const member = await s.canary({ login: 'member@canary.test', groups: [team] });
    const outsider = await s.canary({ login: 'outsider@canary.test' });
    expect((await s.signIn(member.login, member.password)).status).toBe(401);
    expect((await s.signIn(outsider.login, outsider.password)).body['status']).toBe('SUCCESS');
    const [o] = await s.eventsOf(outsider.login, 'policy.evaluate_sign_on');
    expect(o!.target?.[0]?.id).toBe(s.sim.org.signOnPolicy.id);
  });

  it("a rule's people.users.exclude passes the user over; with no rule left the sign-in is denied", async () => {
    const c = await s.canary({ login: 'excluded@canary.test' });
    const p = s.sim.org.signOnPolicy;
    const r = await s.control('/sim/shadow-change', {
      resource: `/api/v1/policies/${p.id}/rules/${p.ruleId}`,
      patch: { conditions: { people: { users: { exclude: [c.id] } } } },
    });
    expect(r.status).toBe(200);
    expect((await s.signIn(c.login, c.password)).status).toBe(401);
    const [evaluated] = await s.eventsOf(c.login, 'policy.evaluate_sign_on');
    expect(evaluated!.outcome?.result).toBe('DENY');
    expect(evaluated!.target).toBeNull();
  });

  it('an inactive rule or policy takes no part', async () => {
    const team = s.team.id;
    const { policyId } = await s.sessionPolicy(team, [
      { name: 'No sign-in', network: { connection: 'ANYWHERE' }, access: 'DENY' },
    ]);
    const member = await s.canary({ login: 'member2@canary.test', groups: [s.team.name] });
    expect((await s.signIn(member.login, member.password)).status).toBe(401);
    expect((await s.call('POST', `/api/v1/policies/${policyId}/lifecycle/deactivate`)).status).toBe(204);
    s.clock.advance(1_000);
    expect((await s.signIn(member.login, member.password)).body['status']).toBe('SUCCESS');
  });
});
