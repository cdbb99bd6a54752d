import { describe, expect, it } from 'vitest';
import { totpCode } from '../../../src/sources/totp.js';
import { authWorld, form } from './auth-world.js';

const MINUTE = 60_000;

describe('lockout and rate limits', () => {
  it('locks an account after five failures, refuses even the right code, records it, and lets it in after the lock', async () => {
    const world = await authWorld({ deps: { lockout: { perAddressPerMinute: 1000 } } });
    const { secret } = await world.signedIn('sam', 'viewer');
    const attempt = (code: string) =>
      world.app.inject({ method: 'POST', url: '/sign-in/totp', ...form({ name: 'sam', code }) });

    for (let i = 0; i < 5; i++) expect((await attempt('123456')).statusCode).toBe(401);
    world.clock.advance(30_000);
    const locked = await attempt(totpCode(secret, world.clock.now()));
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Too many failed sign-ins for sam');
    expect(locked.headers['set-cookie']).toBeUndefined();

    const lockouts = await world.audited('console.lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actor: 'vigil', target: 'sam', details: { failures: 5 } });
    const reasons = (await world.audited('console.sign-in-failed')).map((r) => r.details?.['reason']);
    expect(reasons).toEqual([...Array(5).fill('wrong-credential'), 'locked']);

    world.clock.advance(15 * MINUTE);
    const after = await attempt(totpCode(secret, world.clock.now()));
    expect(after.statusCode).toBe(303);
  });

  it('counts unknown names like known ones, so answers do not tell which names exist', async () => {
    const world = await authWorld({ deps: { lockout: { perAddressPerMinute: 1000 } } });
    const unknown = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'nobody', code: '123456' }),
    });
    await world.signedIn('tess', 'viewer');
    const known = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'tess', code: '123456' }),
    });
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body.replace(/nobody/g, 'X')).toBe(known.body.replace(/tess/g, 'X'));
    // A malformed name (an email typed by mistake) is never written to the audit log.
    await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'tess@example.com', code: '123456' }),
    });
    const failed = await world.audited('console.sign-in-failed');
    expect(JSON.stringify(failed)).not.toContain('example.com');
  });

  it('limits sign-in attempts per address', async () => {
    const world = await authWorld({ deps: { lockout: { perAddressPerMinute: 3 } } });
    const statuses: number[] = [];
    for (const name of ['a1', 'a2', 'a3', 'a4'])
      statuses.push(
        (await world.app.inject({ method: 'POST', url: '/sign-in/totp', ...form({ name, code: '000000' }) }))
          .statusCode,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
    world.clock.advance(MINUTE);
    expect(
      (
        await world.app.inject({
          method: 'POST',
          url: '/sign-in/totp',
          ...form({ name: 'a5', code: '000000' }),
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('recovery codes and disabled users', () => {
  it('lets each recovery code in once', async () => {
    const world = await authWorld();
    const { recoveryCodes } = await world.signedIn('uma', 'viewer');
    const use = (code: string) =>
      world.app.inject({ method: 'POST', url: '/sign-in/recovery', ...form({ name: 'uma', code }) });
    const code = recoveryCodes[3]!;
    expect((await use(code.toUpperCase())).statusCode).toBe(303); // case and dashes do not matter
    expect((await use(code)).statusCode).toBe(401);
    expect((await use(recoveryCodes[4]!)).statusCode).toBe(303);
    expect((await world.accounts.list())[0]?.recoveryCodesLeft).toBe(8);
  });

  it('refuses a disabled user: open sessions end, sign-in fails, API tokens stop', async () => {
    const world = await authWorld();
    const { jar, secret } = await world.signedIn('vic', 'analyst');
    const { token } = await world.tokens.create(await world.accounts.require('vic'), 'viewer', 'script');
    await world.accounts.disable('vic');

    expect(
      (await world.app.inject({ method: 'GET', url: '/t/viewer', headers: jar.header() })).statusCode,
    ).toBe(401);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await world.app.inject({ method: 'GET', url: '/t/viewer', headers: bearer })).statusCode).toBe(
      401,
    );
    world.clock.advance(30_000);
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'vic', code: totpCode(secret, world.clock.now()) }),
    });
    expect(signIn.statusCode).toBe(401);
    expect((await world.audited('console.sign-in-failed')).at(-1)?.details).toMatchObject({
      reason: 'disabled',
    });
    // Disabled users' enrolment links do not work either.
    const relink = await world.enrolments.create((await world.accounts.require('vic')).id);
    expect((await world.app.inject({ method: 'GET', url: `/enrol/${relink.token}` })).statusCode).toBe(404);
  });
});
