import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY } from '../../../src/server/auth/sessions.js';
import { totpCode } from '../../../src/sources/totp.js';
import { authWorld, CookieJar, form, ORIGIN, type AuthWorld } from './auth-world.js';

const MINUTE = 60_000;

describe('sessions', () => {
  it('sets the session cookie HttpOnly, SameSite=Strict, Secure under TLS, for the whole console', async () => {
    const world = await authWorld({ secure: true });
    const token = await world.addUser('hana', 'viewer');
    const page = await world.app.inject({ method: 'GET', url: `/enrol/${token}` });
    expect(page.cookies).toEqual([]); // nothing is set before anyone signs in
    const { secret } = await world.enrolTotp(token, new CookieJar());
    const set = await signInAgain(world, 'hana', secret);
    const session = set.find((c) => c.name === 'vigil_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    expect(session.maxAge).toBe(DEFAULT_SESSION_POLICY.absoluteMs / 1000);
  });

  it('leaves Secure off over plain HTTP (loopback without TLS)', async () => {
    const world = await authWorld({ secure: false });
    const token = await world.addUser('ivan', 'viewer');
    const { secret } = await world.enrolTotp(token, new CookieJar());
    const session = (await signInAgain(world, 'ivan', secret)).find((c) => c.name === 'vigil_session')!;
    expect(session.secure).toBeFalsy();
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('ends a session left idle past its idle timeout, and any session at its absolute timeout', async () => {
    const world = await authWorld({
      deps: { sessions: { idleMs: 30 * MINUTE, absoluteMs: 2 * 60 * MINUTE } },
    });
    const { jar } = await world.signedIn('jo', 'viewer');
    const get = () => world.app.inject({ method: 'GET', url: '/t/viewer', headers: jar.header() });

    // Used every 25 minutes: alive past the idle timeout, until the absolute one.
    for (let minute = 25; minute < 120; minute += 25) {
      world.clock.advance(25 * MINUTE);
      expect((await get()).statusCode, `at minute ${minute}`).toBe(200);
    }
    world.clock.advance(20 * MINUTE); // 120 minutes after sign-in
    const expired = await get();
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String) } });
    // The browser is told to drop the dead cookie.
    expect(expired.cookies.find((c) => c.name === 'vigil_session')?.value).toBe('');

    const other = await world.signedIn('kai', 'viewer');
    world.clock.advance(30 * MINUTE + 1);
    expect(
      (await world.app.inject({ method: 'GET', url: '/t/viewer', headers: other.jar.header() })).statusCode,
    ).toBe(401);
  });

  it('deletes sessions that ended unseen when a new one starts', async () => {
    const world = await authWorld();
    await world.signedIn('lou', 'viewer');
    world.clock.advance(DEFAULT_SESSION_POLICY.absoluteMs);
    await world.signedIn('max', 'viewer');
    const left = await world.runtime.store.db.selectFrom('console_sessions').select('user_id').execute();
    expect(left).toEqual([{ user_id: (await world.accounts.require('max')).id }]);
  });

  it('signs out: the session ends on the server, not just in the browser', async () => {
    const world = await authWorld();
    const { jar, csrf } = await world.signedIn('lee', 'viewer');
    const before = jar.header();
    const out = await world.app.inject({
      method: 'POST',
      url: '/sign-out',
      ...form({ _csrf: csrf }),
      headers: { ...form({}).headers, ...before, origin: ORIGIN },
    });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/sign-in');
    // The old cookie, replayed, no longer works.
    expect((await world.app.inject({ method: 'GET', url: '/t/viewer', headers: before })).statusCode).toBe(
      401,
    );
    expect((await world.audited('console.sign-out'))[0]).toMatchObject({ actor: 'lee' });
  });
});

type SetCookie = {
  name: string;
  value: string;
  httpOnly?: boolean;
  sameSite?: string;
  secure?: boolean;
  path?: string;
  maxAge?: number;
};

/** Signs `name` in with the next TOTP code; the cookies the answer sets. */
async function signInAgain(world: AuthWorld, name: string, secret: string): Promise<SetCookie[]> {
  world.clock.advance(30_000);
  const code = totpCode(secret, world.clock.now());
  const response = await world.app.inject({ method: 'POST', url: '/sign-in/totp', ...form({ name, code }) });
  expect(response.statusCode).toBe(303);
  return response.cookies as SetCookie[];
}
