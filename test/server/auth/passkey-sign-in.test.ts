import { describe, expect, it } from 'vitest';
import { authWorld, CookieJar, ORIGIN } from './auth-world.js';
import { SoftwareAuthenticator } from './software-authenticator.js';

const RP_ID = new URL(ORIGIN).hostname;

/** POSTs JSON as the page's script does (no session yet, so no CSRF token). */
const json = (url: string, payload: unknown, jar?: CookieJar) => ({
  method: 'POST' as const,
  url,
  payload: JSON.stringify(payload),
  headers: { 'content-type': 'application/json', origin: ORIGIN, ...jar?.header() },
});

describe('passkeys', () => {
  it('registers at enrolment and signs in with a discoverable credential', async () => {
    const world = await authWorld();
    const token = await world.addUser('dana', 'admin');
    const authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN);

    const creation = await world.app.inject(json(`/enrol/${token}/passkey/options`, {}));
    expect(creation.statusCode).toBe(200);
    const options = creation.json<{
      challenge: string;
      user: { id: string; name: string };
      rp: { id: string };
    }>();
    expect(options.rp.id).toBe(RP_ID);
    expect(options.user.name).toBe('dana');
    const enrolJar = new CookieJar();
    const registered = await world.app.inject(
      json(`/enrol/${token}/passkey`, { response: authenticator.register(options) }),
    );
    expect(registered.statusCode).toBe(200);
    expect(registered.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    enrolJar.take(registered);
    expect(enrolJar.cookies.get('vigil_session')).toMatch(/^vs_/);
    expect((await world.accounts.list())[0]).toMatchObject({ name: 'dana', passkeys: 1, totp: false });

    const request = await world.app.inject(json('/sign-in/passkey/options', {}));
    const requestOptions = request.json<{ challenge: string; rpId: string; allowCredentials?: unknown[] }>();
    expect(requestOptions.rpId).toBe(RP_ID);
    expect(requestOptions.allowCredentials ?? []).toEqual([]); // discoverable: no name typed first
    const jar = new CookieJar();
    const signedIn = await world.app.inject(
      json('/sign-in/passkey', { response: authenticator.assert(requestOptions), next: '/alerts' }),
    );
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toEqual({ next: '/alerts' });
    jar.take(signedIn);
    const admin = await world.app.inject({ method: 'GET', url: '/t/admin', headers: jar.header() });
    expect(admin.json()).toMatchObject({ principal: { name: 'dana', role: 'admin', via: 'session' } });
    const methods = (await world.audited('console.sign-in')).map((r) => r.details?.['method']);
    expect(methods).toEqual(['enrolment', 'passkey']);
    expect((await world.audited('user.enrol'))[0]?.details).toEqual({ method: 'passkey' });
  });

  it('refuses an assertion for another origin, a reused challenge and a bad signature', async () => {
    const world = await authWorld();
    const token = await world.addUser('erin', 'viewer');
    const authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN);
    const options = (await world.app.inject(json(`/enrol/${token}/passkey/options`, {}))).json<{
      challenge: string;
      user: { id: string };
    }>();
    expect(
      (await world.app.inject(json(`/enrol/${token}/passkey`, { response: authenticator.register(options) })))
        .statusCode,
    ).toBe(200);

    const challenge = async () =>
      (await world.app.inject(json('/sign-in/passkey/options', {}))).json<{ challenge: string }>();
    const phishing = await world.app.inject(
      json('/sign-in/passkey', {
        response: authenticator.assert(await challenge(), { origin: 'https://vigil.evil.example' }),
      }),
    );
    expect(phishing.statusCode).toBe(401);
    expect(phishing.json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });

    const tampered = await world.app.inject(
      json('/sign-in/passkey', { response: authenticator.assert(await challenge(), { tamper: true }) }),
    );
    expect(tampered.statusCode).toBe(401);

    // Possession alone is not enough: the authenticator must have verified its user (PIN, biometric).
    const unverified = await world.app.inject(
      json('/sign-in/passkey', {
        response: authenticator.assert(await challenge(), { userVerified: false }),
      }),
    );
    expect(unverified.statusCode).toBe(401);

    const once = await challenge();
    expect(
      (await world.app.inject(json('/sign-in/passkey', { response: authenticator.assert(once) }))).statusCode,
    ).toBe(200);
    const replayed = await world.app.inject(
      json('/sign-in/passkey', { response: authenticator.assert(once) }),
    );
    expect(replayed.statusCode).toBe(401);
    expect(replayed.headers['set-cookie']).toBeUndefined();

    const stranger = new SoftwareAuthenticator(RP_ID, ORIGIN);
    const unknown = await world.app.inject(
      json('/sign-in/passkey', { response: stranger.assert(await challenge()) }),
    );
    expect(unknown.statusCode).toBe(401);
    expect((await world.audited('console.sign-in-failed')).length).toBe(5);
  });

  it('refuses a registration whose challenge was not handed out for that enrolment', async () => {
    const world = await authWorld();
    const first = await world.addUser('fay', 'viewer');
    const second = await world.addUser('gus', 'viewer');
    const authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN);
    const forFay = (await world.app.inject(json(`/enrol/${first}/passkey/options`, {}))).json<{
      challenge: string;
      user: { id: string };
    }>();
    // Gus's link with a ceremony started on Fay's: refused, and Gus's link still works.
    const crossed = await world.app.inject(
      json(`/enrol/${second}/passkey`, { response: authenticator.register(forFay) }),
    );
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });
    expect((await world.app.inject({ method: 'GET', url: `/enrol/${second}` })).statusCode).toBe(200);
  });

  it('still lets a passkey in while wrong codes have locked the name, but never a disabled user', async () => {
    const world = await authWorld({ deps: { lockout: { perAddressPerMinute: 1000 } } });
    const token = await world.addUser('hal', 'analyst');
    const authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN);
    const options = (await world.app.inject(json(`/enrol/${token}/passkey/options`, {}))).json<{
      challenge: string;
      user: { id: string };
    }>();
    await world.app.inject(json(`/enrol/${token}/passkey`, { response: authenticator.register(options) }));
    for (let i = 0; i < 5; i++)
      await world.app.inject({
        method: 'POST',
        url: '/sign-in/totp',
        payload: 'name=hal&code=123456',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect(await world.audited('console.lockout')).toHaveLength(1);
    const challenge = async () =>
      (await world.app.inject(json('/sign-in/passkey/options', {}))).json<{ challenge: string }>();
    expect(
      (
        await world.app.inject(
          json('/sign-in/passkey', { response: authenticator.assert(await challenge()) }),
        )
      ).statusCode,
    ).toBe(200);

    await world.accounts.disable('hal');
    const disabled = await world.app.inject(
      json('/sign-in/passkey', { response: authenticator.assert(await challenge()) }),
    );
    expect(disabled.statusCode).toBe(401);
    expect((await world.audited('console.sign-in-failed')).at(-1)).toMatchObject({
      actor: 'hal',
      details: { reason: 'disabled' },
    });
  });
});
