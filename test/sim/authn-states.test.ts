import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oktaLogEventSchema } from '../../src/sources/okta/log-event.js';
import { at, authnSim, ELSEWHERE_IP, rows } from './authn-harness.js';

/**
 * The simulator's Classic Authentication API (docs/simulator-config.md, "Authentication API and
 * enforcement controls") driven by a plain-fetch client as Okta documents it: every transaction
 * state, TOTP verification, the 401 of a refused sign-in, the per-username 429, and the System Log
 * events each attempt writes.
 */
describe('POST /api/v1/authn', () => {
  let s: Awaited<ReturnType<typeof authnSim>>;
  beforeAll(async () => {
    s = await authnSim();
  });
  afterAll(() => s.sim.close());

  it('SUCCESS with a session token, its expiry and the user, for a user whose rule requires no factor', async () => {
    const c = await s.canary({ login: 'plain@canary.test' });
    const r = await s.signIn(c.login, c.password);
    expect(r.status).toBe(200);
    expect(r.body['status']).toBe('SUCCESS');
    expect(r.body['sessionToken']).toMatch(/^[A-Za-z0-9]{42}$/);
    expect(Date.parse(String(r.body['expiresAt']))).toBe(s.clock.now() + 5 * 60_000);
    expect(at(r.body, '_embedded.user.id')).toBe(c.id);
    expect(at(r.body, '_embedded.user.profile.login')).toBe('plain@canary.test');
  });

  it('MFA_REQUIRED for an administrator, then SUCCESS only after a right TOTP code (a wrong one is 403 E0000068)', async () => {
    const c = await s.canary({ login: 'admin@canary.test', groups: ['Okta Administrators'] });
    const r = await s.signIn(c.login, c.password);
    expect(r.body['status']).toBe('MFA_REQUIRED');
    expect(r.body['stateToken']).toMatch(/^00/);
    expect(r.body['sessionToken']).toBeUndefined();
    const factor = rows(at(r.body, '_embedded.factors'))[0]!;
    expect(factor).toMatchObject({
      id: c.factors[0]!.id,
      factorType: 'token:software:totp',
      provider: 'GOOGLE',
    });
    expect(at(factor, '_links.verify.href')).toBe(
      `${s.sim.baseUrl}/api/v1/authn/factors/${c.factors[0]!.id}/verify`,
    );

    const right = s.codeFor(c.factors[0]!.sharedSecret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const bad = await s.verify(r, wrong);
    expect(bad.status).toBe(403);
    expect(bad.body).toMatchObject({ errorCode: 'E0000068', errorSummary: 'Invalid Passcode/Answer' });
    const good = await s.verify(r, right);
    expect(good.status).toBe(200);
    expect(good.body['status']).toBe('SUCCESS');
    expect(good.body['sessionToken']).toMatch(/^[A-Za-z0-9]{42}$/);
    // The transaction is finished: its state token is spent.
    const again = await s.verify(r, right);
    expect(again.status).toBe(403);
    expect(again.body['errorCode']).toBe('E0000011');

    const mfa = await s.eventsOf(c.login, 'user.authentication.auth_via_mfa');
    // Both verifies share one millisecond: the log orders them by published time only.
    expect(mfa.map((e) => `${e.outcome?.result} ${e.outcome?.reason}`).sort()).toEqual([
      'FAILURE INVALID_CREDENTIALS',
      'SUCCESS null',
    ]);
    for (const e of mfa) expect(e.target?.map((t) => t.id)).toEqual([c.id, c.factors[0]!.id]);
    const sessions = await s.eventsOf(c.login, 'user.session.start');
    expect(sessions.map((e) => e.outcome?.result)).toEqual(['SUCCESS']);
  });

  it('a code from a minute ago is refused; a state token expires after 5 minutes', async () => {
    const c = await s.canary({ login: 'slow@canary.test', groups: ['Okta Administrators'] });
    const r = await s.signIn(c.login, c.password);
    const old = s.codeFor(c.factors[0]!.sharedSecret);
    s.clock.advance(90_000);
    expect((await s.verify(r, old)).body['errorCode']).toBe('E0000068');
    s.clock.advance(4 * 60_000);
    const late = await s.verify(r, s.codeFor(c.factors[0]!.sharedSecret));
    expect(late.status).toBe(403);
    expect(late.body['errorCode']).toBe('E0000011');
  });

  it("cancel ends the transaction; a factor that is not the user's is 404", async () => {
    const c = await s.canary({ login: 'cancel@canary.test', groups: ['Okta Administrators'] });
    const other = await s.canary({ login: 'cancel2@canary.test', groups: ['Okta Administrators'] });
    const r = await s.signIn(c.login, c.password);
    const code = s.codeFor(c.factors[0]!.sharedSecret);
    const foreign = await s.post(`/api/v1/authn/factors/${other.factors[0]!.id}/verify`, {
      stateToken: r.body['stateToken'],
      passCode: code,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body['errorCode']).toBe('E0000007');
    const cancelHref = String(at(r.body, '_links.cancel.href'));
    const cancelled = await s.post(new URL(cancelHref).pathname, { stateToken: r.body['stateToken'] });
    expect(cancelled.status).toBe(200);
    expect((await s.verify(r, code)).body['errorCode']).toBe('E0000011');
    expect((await s.post(new URL(cancelHref).pathname, { stateToken: r.body['stateToken'] })).status).toBe(
      403,
    );
  });

  it('MFA_ENROLL when a factor is required and none is enrolled', async () => {
    const c = await s.canary({ login: 'noenroll@canary.test', groups: ['Okta Administrators'], totp: false });
    expect(c.factors).toEqual([]);
    const r = await s.signIn(c.login, c.password);
    expect(r.body['status']).toBe('MFA_ENROLL');
    expect(rows(at(r.body, '_embedded.factors'))[0]).toMatchObject({
      factorType: 'token:software:totp',
      status: 'NOT_SETUP',
    });
  });

  it('PASSWORD_EXPIRED straight away without a factor, and after MFA with one', async () => {
    const plain = await s.canary({ login: 'expired@canary.test', passwordExpired: true });
    const r = await s.signIn(plain.login, plain.password);
    expect(r.body['status']).toBe('PASSWORD_EXPIRED');
    expect(at(r.body, '_links.next.name')).toBe('changePassword');
    expect(at(r.body, '_embedded.policy.complexity.minLength')).toBeTypeOf('number');

    const admin = await s.canary({
      login: 'expired-admin@canary.test',
      groups: ['Okta Administrators'],
      passwordExpired: true,
    });
    const first = await s.signIn(admin.login, admin.password);
    expect(first.body['status']).toBe('MFA_REQUIRED');
    const after = await s.verify(first, s.codeFor(admin.factors[0]!.sharedSecret));
    expect(after.body['status']).toBe('PASSWORD_EXPIRED');
  });

  it("401 E0000004 for a wrong password, an unknown user, a deactivated or suspended user, and a seeded person's unknown password", async () => {
    const c = await s.canary({ login: 'refused@canary.test' });
    const gone = await s.canary({ login: 'gone@canary.test', status: 'DEPROVISIONED' });
    const paused = await s.canary({ login: 'paused@canary.test', status: 'SUSPENDED' });
    const attempts = [
      [c.login, 'not-the-password'],
      ['nobody@canary.test', 'whatever'],
      [gone.login, gone.password],
      [paused.login, paused.password],
      [s.sim.org.users[0]!.login, 'Password1!'],
    ] as const;
    for (const [username, password] of attempts) {
      const r = await s.signIn(username, password);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        errorCode: 'E0000004',
        errorSummary: 'Authentication failed',
        errorLink: 'E0000004',
        errorCauses: [],
      });
      expect(r.body['errorId']).toMatch(/^oae/);
    }
    const reasons = async (login: string) =>
      (await s.eventsOf(login, 'user.session.start')).map((e) => `${e.outcome?.result} ${e.outcome?.reason}`);
    expect(await reasons(c.login)).toEqual(['FAILURE INVALID_CREDENTIALS']);
    expect(await reasons('nobody@canary.test')).toEqual(['FAILURE VERIFICATION_ERROR']);
    expect(await reasons(gone.login)).toEqual(['FAILURE VERIFICATION_ERROR']);
    expect(await reasons(paused.login)).toEqual(['FAILURE VERIFICATION_ERROR']);
    const unknown = (await s.eventsOf('nobody@canary.test', 'user.session.start'))[0]!;
    expect(unknown.actor.id).toBe('unknown');
  });

  it('400 E0000001 naming the missing fields', async () => {
    const r = await s.post('/api/v1/authn', { username: 'x@canary.test' });
    expect(r.status).toBe(400);
    expect(r.body['errorCode']).toBe('E0000001');
    expect(JSON.stringify(r.body['errorCauses'])).toContain('password');
  });

  it("every event carries the client address and user agent of the request, in Okta's event shape", async () => {
    const c = await s.canary({ login: 'traced@canary.test' });
    await s.signIn(c.login, 'wrong', '192.0.2.44', 'Mozilla/5.0 probe');
    s.clock.advance(1_000);
    await s.signIn(c.login, c.password, '192.0.2.45', 'Mozilla/5.0 probe 2');
    const sessions = await s.eventsOf(c.login, 'user.session.start');
    expect(
      sessions.map((e) => [e.outcome?.result, e.client?.ipAddress, e.client?.userAgent?.rawUserAgent]),
    ).toEqual([
      ['FAILURE', '192.0.2.44', 'Mozilla/5.0 probe'],
      ['SUCCESS', '192.0.2.45', 'Mozilla/5.0 probe 2'],
    ]);
    expect(sessions[1]!.request?.ipChain?.[0]?.ip).toBe('192.0.2.45');
    expect(at(sessions[1], 'debugContext.debugData.requestUri')).toBe('/api/v1/authn');
    const evaluated = await s.eventsOf(c.login, 'policy.evaluate_sign_on');
    expect(evaluated).toHaveLength(1);
    expect(evaluated[0]!.outcome?.result).toBe('ALLOW');
    expect(evaluated[0]!.target?.map((t) => t.type)).toEqual(['PolicyEntity', 'PolicyRule']);
    expect(evaluated[0]!.target?.[1]?.id).toBe(s.sim.org.signOnPolicy.ruleId);
    expect(at(evaluated[0], 'debugContext.debugData.matchedRuleId')).toBe(s.sim.org.signOnPolicy.ruleId);
    for (const e of [...sessions, ...evaluated]) expect(() => oktaLogEventSchema.parse(e)).not.toThrow();
  });

  it("429 E0000047 on the 5th request for one username within a second (Okta's per-user limit), others unaffected", async () => {
    const c = await s.canary({ login: 'busy@canary.test' });
    const other = await s.canary({ login: 'calm@canary.test' });
    s.clock.advance(1_000 - (s.clock.now() % 1_000));
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await s.signIn(c.login, c.password));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429]);
    expect(answers[4]!.body).toMatchObject({ errorCode: 'E0000047' });
    expect(answers[4]!.headers.get('x-rate-limit-limit')).toBe('4');
    expect(answers[4]!.headers.get('x-rate-limit-reset')).toBe(String(s.clock.now() / 1000 + 1));
    expect((await s.signIn(other.login, other.password)).status).toBe(200);
    expect((await s.signIn(c.login.toUpperCase(), c.password)).status).toBe(429);
    s.clock.advance(1_000);
    expect((await s.signIn(c.login, c.password)).status).toBe(200);
  });

  it('GET /api/v1/users/{login} answers the user with its status; it needs the API token', async () => {
    const c = await s.canary({ login: 'read@canary.test', status: 'SUSPENDED' });
    const r = await s.call('GET', `/api/v1/users/${c.login}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: c.id, status: 'SUSPENDED', profile: { login: c.login } });
    expect((await s.call('GET', `/api/v1/users/${c.id}`, undefined, {})).status).toBe(401);
    expect((await s.call('GET', '/api/v1/users/nobody@x.test')).status).toBe(404);
  });

  it('the request user agent default is empty and the seen address is the X-Sim-Client-IP', async () => {
    const c = await s.canary({ login: 'agentless@canary.test' });
    await s.signIn(c.login, c.password, ELSEWHERE_IP, '');
    const [e] = await s.eventsOf(c.login, 'user.session.start');
    expect(e!.client?.ipAddress).toBe(ELSEWHERE_IP);
    expect(e!.client?.userAgent?.rawUserAgent).toBe('');
  });
});
