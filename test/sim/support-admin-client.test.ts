import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OktaAdminClient } from '../../src/sources/okta/okta-admin-client.js';
import { smallSim } from './sim-harness.js';

/**
 * Vigil's admin adapter (sources/okta/okta-admin-client.ts) against the simulator: it keeps inside its
 * share of a rate-limit bucket, waits out a 429 a bounded number of times, and answers a refusal with
 * Okta's status and error code instead of throwing or retrying for ever.
 */
describe('the Okta admin client', () => {
  let s: Awaited<ReturnType<typeof smallSim>>;
  const client = (options: { rateShare?: number; maxThrottles?: number; token?: string } = {}) =>
    new OktaAdminClient({
      name: 'okta',
      url: s.sim.baseUrl,
      token: options.token ?? s.sim.token,
      clock: s.clock,
      rateShare: options.rateShare ?? 1,
      requestTimeoutMs: 10_000,
      ...(options.maxThrottles === undefined ? {} : { maxThrottles: options.maxThrottles }),
    });
  beforeAll(async () => {
    s = await smallSim({ usersRateLimit: 4 });
  });
  afterAll(() => s.sim.close());

  it('waits for the next window once its share of the bucket is spent', async () => {
    const admin = client({ rateShare: 0.5 });
    const users = s.sim.org.users.slice(0, 4);
    const start = s.clock.now();
    for (const u of users) expect(await admin.clearSessions(u.id)).toEqual({ ok: true, httpStatus: 204 });
    // Half of four a minute: two calls, then the reset, then two more.
    const minutes = Math.floor(s.clock.now() / 60_000) - Math.floor(start / 60_000);
    expect(minutes).toBe(1);
    for (const u of users) expect(s.sim.containment.user(u.id).sessionsClearedAt).toHaveLength(1);
  });

  it('waits out a 429 when asked to, and reports it with E0000047 when not', async () => {
    s.clock.advance(60_000 - (s.clock.now() % 60_000));
    const greedy = client();
    const users = s.sim.org.users.slice(4, 9);
    for (const u of users.slice(0, 4)) expect((await greedy.resetFactors(u.id)).ok).toBe(true);
    // The bucket is empty: with no throttle allowed, the fifth is refused with Okta's code.
    expect(await client({ maxThrottles: 0 }).resetFactors(users[4]!.id)).toMatchObject({
      ok: false,
      httpStatus: 429,
      errorCode: 'E0000047',
    });
    // With the default, it waits for the reset and succeeds.
    expect(await greedy.resetFactors(users[4]!.id)).toEqual({ ok: true, httpStatus: 200 });
  });

  it("answers a refusal with Okta's status, code and summary, secrets removed", async () => {
    s.clock.advance(60_000);
    expect(await client().suspendUser('00unobody0000000000')).toMatchObject({
      ok: false,
      httpStatus: 404,
      errorCode: 'E0000007',
    });
    const refused = await client({ token: 'wrong-token' }).revokeSupportAccess();
    expect(refused).toMatchObject({ ok: false, httpStatus: 401, errorCode: 'E0000011' });
    expect(JSON.stringify(refused)).not.toContain('wrong-token');
    await expect(client({ token: 'wrong-token' }).supportCases()).rejects.toMatchObject({
      code: 'SOURCE_BAD_PAGE',
      details: { httpStatus: 401, errorCode: 'E0000011' },
    });
    expect(() => client().clearSessions('../../api/v1/org')).toThrow(TypeError);
  });
});
