import { describe, expect, it } from 'vitest';
import { totpCode } from '../../../src/sources/totp.js';
import { authWorld, form, ORIGIN } from './auth-world.js';

describe('CSRF', () => {
  it('refuses a state-changing request with a session cookie but without its token', async () => {
    const world = await authWorld();
    const { jar, csrf } = await world.signedIn('mia', 'analyst');
    const post = (headers: Record<string, string>, payload?: string) =>
      world.app.inject({
        method: 'POST',
        url: '/t/analyst',
        headers: { ...jar.header(), ...headers },
        ...(payload ? { payload } : {}),
      });

    const none = await post({});
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ error: { code: 'CSRF_REFUSED' } });
    const wrong = await post({ 'x-csrf-token': `${csrf.slice(0, -2)}xx` });
    expect(wrong.statusCode).toBe(403);
    const foreign = await post({ 'x-csrf-token': csrf, origin: 'https://attacker.example' });
    expect(foreign.statusCode).toBe(403);
    const crossSite = await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);

    const opaque = await post({ 'x-csrf-token': csrf, origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect(opaque.statusCode).toBe(403);
    // A same-origin form under no-referrer: Origin null, Sec-Fetch-Site same-origin, token present.
    const ownForm = await post({ 'x-csrf-token': csrf, origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(ownForm.statusCode).toBe(200);

    const header = await post({ 'x-csrf-token': csrf, origin: ORIGIN });
    expect(header.statusCode).toBe(200);
    expect(header.json()).toEqual({ changed: true, by: 'mia' });
    const field = await post(form({}).headers, form({ _csrf: csrf, note: 'x' }).payload);
    expect(field.statusCode).toBe(200);
  });

  it("does not let one session's token stand for another's", async () => {
    const world = await authWorld();
    const first = await world.signedIn('nia', 'analyst');
    const second = await world.signedIn('oli', 'analyst');
    const crossed = await world.app.inject({
      method: 'POST',
      url: '/t/analyst',
      headers: { ...first.jar.header(), 'x-csrf-token': second.csrf },
    });
    expect(crossed.statusCode).toBe(403);
  });
});

describe('enrolment in a browser where someone is signed in', () => {
  it("carries that session's CSRF token in the forms, and replaces the session with the new user's", async () => {
    const world = await authWorld();
    const admin = await world.signedIn('zed', 'admin');
    const adminCookie = admin.jar.header();
    const token = await world.addUser('yan', 'viewer');
    const page = await world.app.inject({ method: 'GET', url: `/enrol/${token}`, headers: adminCookie });
    expect(page.body).toContain(`<meta name="csrf-token" content="${admin.csrf}">`);
    expect(page.body).toContain(`name="_csrf" value="${admin.csrf}"`);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(page.body)![1]!;

    const code = totpCode(secret, world.clock.now());
    const refused = await world.app.inject({
      method: 'POST',
      url: `/enrol/${token}/totp`,
      ...form({ code }),
      headers: { ...form({}).headers, ...adminCookie },
    });
    expect(refused.statusCode).toBe(403);
    const done = await world.app.inject({
      method: 'POST',
      url: `/enrol/${token}/totp`,
      payload: form({ code, _csrf: admin.csrf }).payload,
      headers: { ...form({}).headers, ...adminCookie },
    });
    expect(done.statusCode).toBe(200);
    admin.jar.take(done);
    expect(
      (await world.app.inject({ method: 'GET', url: '/auth/session', headers: admin.jar.header() })).json(),
    ).toMatchObject({ name: 'yan', role: 'viewer' });
    expect(
      (await world.app.inject({ method: 'GET', url: '/t/viewer', headers: adminCookie })).statusCode,
    ).toBe(401);
  });
});

describe('requireRole', () => {
  it('answers 401 without a principal and 403 with too small a role, as JSON', async () => {
    const world = await authWorld();
    const anonymous = await world.app.inject({ method: 'GET', url: '/t/viewer' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String) } });

    const viewer = await world.signedIn('pat', 'viewer');
    const analyst = await world.signedIn('quinn', 'analyst');
    const admin = await world.signedIn('rae', 'admin');
    const status = async (jar: typeof viewer.jar, role: string) =>
      (await world.app.inject({ method: 'GET', url: `/t/${role}`, headers: jar.header() })).statusCode;
    expect([
      await status(viewer.jar, 'viewer'),
      await status(viewer.jar, 'analyst'),
      await status(viewer.jar, 'admin'),
    ]).toEqual([200, 403, 403]);
    expect([
      await status(analyst.jar, 'viewer'),
      await status(analyst.jar, 'analyst'),
      await status(analyst.jar, 'admin'),
    ]).toEqual([200, 200, 403]);
    expect([
      await status(admin.jar, 'viewer'),
      await status(admin.jar, 'analyst'),
      await status(admin.jar, 'admin'),
    ]).toEqual([200, 200, 200]);
    const refused = await world.app.inject({ method: 'GET', url: '/t/admin', headers: viewer.jar.header() });
    expect(refused.json()).toMatchObject({ error: { code: 'ROLE_REFUSED' } });
  });

  it('serves the sign-in page, its script and style to anyone, with no inline script', async () => {
    const world = await authWorld();
    const page = await world.app.inject({ method: 'GET', url: '/sign-in?next=/alerts' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/assets/auth.js"></script>');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
    expect(page.body).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect(page.body).not.toMatch(/\sstyle=/i);
    expect(page.body).toContain('value="/alerts"');
    const script = await world.app.inject({ method: 'GET', url: '/assets/auth.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('navigator.credentials.get');
    expect(script.body).toContain('navigator.credentials.create');
    expect((await world.app.inject({ method: 'GET', url: '/assets/auth.css' })).statusCode).toBe(200);
  });
});
