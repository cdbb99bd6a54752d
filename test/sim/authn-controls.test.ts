import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, authnSim, ELSEWHERE_IP } from './authn-harness.js';

/**
 * The control endpoints of a compromised provider (docs/simulator-config.md): each enforcement mode
 * changes what sign-in does while the configuration APIs show the policies intact and write no
 * event; log suppression keeps matching events out of the System Log while they still happen.
 */
describe('POST /sim/enforcement', () => {
  let s: Awaited<ReturnType<typeof authnSim>>;
  beforeEach(async () => {
    s = await authnSim();
  });
  afterEach(() => s.sim.close());

  /** What the configuration APIs serve about sign-on and passwords: policies and their rules. */
  const configuration = async () => {
    const out: unknown[] = [];
    for (const type of ['OKTA_SIGN_ON', 'PASSWORD']) {
      for (const policy of await s.policies(type)) {
        out.push(policy, (await s.call('GET', `/api/v1/policies/${String(policy['id'])}/rules`)).json);
      }
    }
    return out;
  };
  const configEvents = async () =>
    s.sim
      .truth()
      .filter((e) => e.eventType.startsWith('policy.') && e.eventType !== 'policy.evaluate_sign_on').length;
  const enforce = async (mode: string, users?: string[]) => {
    const r = await s.control('/sim/enforcement', users ? { mode, users } : { mode });
    expect(r.status).toBe(200);
    return r.json;
  };
  /** Runs `change` and checks the configuration APIs serve the same policies, and no policy event was written. */
  const unchangedAround = async (change: () => Promise<void>) => {
    const before = await configuration();
    s.clock.advance(11_000);
    const events = await configEvents();
    await change();
    expect(await configuration()).toEqual(before);
    s.clock.advance(11_000);
    expect(await configEvents()).toBe(events);
  };

  it('skip-mfa: an administrator gets SUCCESS without a factor; only for the users named; normal restores MFA', async () => {
    const admin = await s.canary({ login: 'mfa@canary.test', groups: ['Okta Administrators'] });
    const other = await s.canary({ login: 'mfa2@canary.test', groups: ['Okta Administrators'] });
    expect((await s.signIn(admin.login, admin.password)).body['status']).toBe('MFA_REQUIRED');
    await unchangedAround(async () => {
      expect(await enforce('skip-mfa', ['MFA@canary.test'])).toEqual({
        enforcement: [{ mode: 'skip-mfa', users: ['mfa@canary.test'] }],
      });
      expect((await s.signIn(admin.login, admin.password)).body['status']).toBe('SUCCESS');
      expect((await s.signIn(other.login, other.password)).body['status']).toBe('MFA_REQUIRED');
    });
    // The policy event still names the rule that requires the factor.
    const evaluated = await s.eventsOf(admin.login, 'policy.evaluate_sign_on');
    expect(evaluated.map((e) => at(e, 'debugContext.debugData.requireFactor'))).toEqual(['true', 'true']);
    expect(await enforce('normal', [admin.login])).toEqual({ enforcement: [] });
    expect((await s.signIn(admin.login, admin.password)).body['status']).toBe('MFA_REQUIRED');
  });

  it('skip-lockout: failures past maxAttempts lock nothing; normal counts them again', async () => {
    await s.lockout({ maxAttempts: 2, autoUnlockMinutes: 0 });
    const c = await s.canary({ login: 'lockless@canary.test' });
    await unchangedAround(async () => {
      await enforce('skip-lockout');
      for (let i = 0; i < 5; i++) {
        s.clock.advance(1_000);
        await s.signIn(c.login, 'wrong');
      }
      expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
    });
    expect(await s.eventsOf(c.login, 'user.account.lock')).toEqual([]);
    await enforce('normal');
    await s.signIn(c.login, 'wrong');
    await s.signIn(c.login, 'wrong');
    s.clock.advance(1_000);
    expect((await s.signIn(c.login, c.password)).status).toBe(401);
    expect(await s.eventsOf(c.login, 'user.account.lock')).toHaveLength(1);
  });

  it('skip-lockout also lets an already locked user in', async () => {
    const c = await s.canary({ login: 'locked@canary.test', status: 'LOCKED_OUT' });
    expect((await s.signIn(c.login, c.password)).status).toBe(401);
    await enforce('skip-lockout', [c.login]);
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
  });

  it('ignore-zones: a rule that denies outside the office zone no longer denies', async () => {
    const helpDesk = await s.groupId('Help Desk');
    const corporate = await s.zoneId('Corporate offices');
    await s.sessionPolicy(helpDesk, [
      { name: 'Not outside offices', network: { connection: 'ZONE', exclude: [corporate] }, access: 'DENY' },
      { name: 'Offices', network: { connection: 'ANYWHERE' }, access: 'ALLOW' },
    ]);
    const c = await s.canary({ login: 'roamer@canary.test', groups: ['Help Desk'] });
    expect((await s.signIn(c.login, c.password, ELSEWHERE_IP)).status).toBe(401);
    await unchangedAround(async () => {
      await enforce('ignore-zones');
      expect((await s.signIn(c.login, c.password, ELSEWHERE_IP)).body['status']).toBe('SUCCESS');
    });
  });

  it('allow-deactivated: a deactivated or suspended user signs in', async () => {
    const gone = await s.canary({ login: 'former@canary.test', status: 'DEPROVISIONED' });
    const paused = await s.canary({ login: 'paused@canary.test', status: 'SUSPENDED' });
    expect((await s.signIn(gone.login, gone.password)).status).toBe(401);
    await unchangedAround(async () => {
      await enforce('allow-deactivated');
      expect((await s.signIn(gone.login, gone.password)).body['status']).toBe('SUCCESS');
      expect((await s.signIn(paused.login, paused.password)).body['status']).toBe('SUCCESS');
    });
    // Failed passwords under the bypass lock nothing: the user APIs still say what the org believes.
    await s.lockout({ maxAttempts: 1 });
    await s.signIn(gone.login, 'wrong');
    expect(at((await s.call('GET', `/api/v1/users/${gone.id}`)).json, 'status')).toBe('DEPROVISIONED');
  });

  it('400 E0000001 naming the field for an unknown mode or a bad users list; 401 without the token', async () => {
    const bad = await s.control('/sim/enforcement', { mode: 'skip-everything' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(at(bad.json, 'errorCauses'))).toContain('mode');
    expect((await s.control('/sim/enforcement', { mode: 'skip-mfa', users: 'x' })).status).toBe(400);
    expect((await s.call('POST', '/sim/enforcement', { mode: 'normal' }, {})).status).toBe(401);
  });
});

describe('POST /sim/users', () => {
  it('400 E0000001 naming the field: a login already taken, an unknown group, an unknown field', async () => {
    const s = await authnSim();
    try {
      await s.canary({ login: 'taken@canary.test' });
      const cases = [
        [{ login: 'TAKEN@canary.test' }, 'login'],
        [{ login: 'new@canary.test', groups: ['No such group'] }, 'groups'],
        [{ login: 'new@canary.test', admin: true }, 'admin'],
        [{ login: 'not-an-email' }, 'login'],
      ] as const;
      for (const [body, field] of cases) {
        const r = await s.control('/sim/users', body);
        expect(r.status).toBe(400);
        expect(at(r.json, 'errorCode')).toBe('E0000001');
        expect(JSON.stringify(at(r.json, 'errorCauses'))).toContain(field);
      }
      expect((await s.call('POST', '/sim/users', { login: 'x@canary.test' }, {})).status).toBe(401);
    } finally {
      await s.sim.close();
    }
  });
});

describe('POST /sim/log-suppression', () => {
  let s: Awaited<ReturnType<typeof authnSim>>;
  beforeEach(async () => {
    s = await authnSim();
  });
  afterEach(() => s.sim.close());

  it('hides the named event types of one actor from /api/v1/logs while the sign-in still happens; off writes them again', async () => {
    const c = await s.canary({ login: 'hidden@canary.test' });
    const r = await s.control('/sim/log-suppression', {
      actor: c.login,
      eventTypes: ['user.session.start'],
      on: true,
    });
    expect(r.json).toEqual({ suppressions: [{ actor: c.login, eventTypes: ['user.session.start'] }] });
    expect((await s.signIn(c.login, c.password)).body['status']).toBe('SUCCESS');
    expect(await s.eventsOf(c.login, 'user.session.start')).toEqual([]);
    expect(await s.eventsOf(c.login, 'policy.evaluate_sign_on')).toHaveLength(1);
    const off = await s.control('/sim/log-suppression', {
      actor: c.login,
      eventTypes: ['user.session.start'],
      on: false,
    });
    expect(off.json).toEqual({ suppressions: [] });
    s.clock.advance(1_000);
    await s.signIn(c.login, c.password);
    expect(await s.eventsOf(c.login, 'user.session.start')).toHaveLength(1);
  });

  it("by user id without types: every event of that actor, including an admin's configuration writes", async () => {
    const c = await s.canary({ login: 'ghost@canary.test', groups: ['Okta Administrators'] });
    const admin = s.sim.org.admins[0]!;
    await s.control('/sim/log-suppression', { actor: c.id, on: true });
    await s.control('/sim/log-suppression', { actor: admin.login, on: true });
    const first = await s.signIn(c.login, c.password);
    await s.verify(first, s.codeFor(c.factors[0]!.sharedSecret));
    const policy = (await s.policies('OKTA_SIGN_ON'))[0]!;
    const deactivated = await s.call('POST', `/api/v1/policies/${String(policy['id'])}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(204);
    s.clock.advance(11_000);
    const truth = s.sim.truth();
    expect(truth.filter((e) => e.actor.id === c.id)).toEqual([]);
    expect(truth.filter((e) => e.eventType === 'policy.lifecycle.deactivate')).toEqual([]);
    // The change itself happened.
    expect(at((await s.call('GET', `/api/v1/policies/${String(policy['id'])}`)).json, 'status')).toBe(
      'INACTIVE',
    );
  });

  it('400 for a body without "on"', async () => {
    const r = await s.control('/sim/log-suppression', { actor: 'x@y.test' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(at(r.json, 'errorCauses'))).toContain('on');
  });
});

describe('without --control', () => {
  it('the control paths are 404, X-Sim-Client-IP is not believed, in-process canaries still sign in', async () => {
    const s = await authnSim({ control: false });
    try {
      for (const path of ['/sim/users', '/sim/enforcement', '/sim/log-suppression']) {
        const r = await s.call('POST', path, { mode: 'skip-mfa', actor: 'x', on: true, login: 'a@b.test' });
        expect(r.status).toBe(404);
        expect(at(r.json, 'errorCode')).toBe('E0000007');
      }
      const c = s.sim.authn.createUser({ login: 'inproc@canary.test' });
      expect((await s.signIn(c.login, c.password, ELSEWHERE_IP)).body['status']).toBe('SUCCESS');
      const [e] = await s.eventsOf(c.login, 'user.session.start');
      expect(e!.client?.ipAddress).toBe('127.0.0.1');
    } finally {
      await s.sim.close();
    }
  });

  it('X-Forwarded-For is read only when the simulator trusts it', async () => {
    const s = await authnSim({ control: false, trustForwardedFor: true });
    try {
      const c = s.sim.authn.createUser({ login: 'proxied@canary.test' });
      const res = await fetch(`${s.sim.baseUrl}/api/v1/authn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.7, 10.0.0.1' },
        body: JSON.stringify({ username: c.login, password: c.password }),
      });
      expect(res.status).toBe(200);
      const [e] = await s.eventsOf(c.login, 'user.session.start');
      expect(e!.client?.ipAddress).toBe('192.0.2.7');
    } finally {
      await s.sim.close();
    }
  });
});

describe('log suppression and live traffic', () => {
  it("leaves out a person's generated traffic from the next day the simulator plans, and keeps what came before", async () => {
    const suppressed = await authnSim({ liveTraffic: true });
    const honest = await authnSim({ liveTraffic: true });
    try {
      const person = suppressed.sim.org.users[1]!;
      const switchedOn = suppressed.clock.now();
      // Traffic is planned a UTC day at a time: today's is already planned when the switch goes on.
      const nextDay = Math.ceil(switchedOn / 86_400_000) * 86_400_000;
      const before = suppressed.sim.truth().filter((e) => e.actor.id === person.id).length;
      expect(before).toBeGreaterThan(0);
      await suppressed.control('/sim/log-suppression', { actor: person.login, on: true });
      for (const s of [suppressed, honest]) s.clock.advance(3 * 86_400_000);
      const later = (s: typeof honest) =>
        s.sim.truth().filter((e) => e.actor.id === person.id && Date.parse(e.published) >= nextDay);
      expect(later(honest).length).toBeGreaterThan(0);
      expect(later(suppressed)).toEqual([]);
      const earlier = suppressed.sim
        .truth()
        .filter((e) => e.actor.id === person.id && Date.parse(e.published) <= switchedOn);
      expect(earlier).toHaveLength(before);
    } finally {
      await suppressed.sim.close();
      await honest.sim.close();
    }
  });
});
