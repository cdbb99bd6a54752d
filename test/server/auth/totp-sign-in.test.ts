import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../../src/sources/totp.js';
import { authWorld, CookieJar, form } from './auth-world.js';

describe('enrolment and TOTP sign-in', () => {
  it('enrols through the one-time link, shows recovery codes once, and signs in with the next code', async () => {
    const world = await authWorld();
    const token = await world.addUser('alice', 'analyst');
    const jar = new CookieJar();
    const { secret, recoveryCodes } = await world.enrolTotp(token, jar);

    expect(recoveryCodes).toHaveLength(10);
    const enrolPage = await world.app.inject({
      method: 'GET',
      url: `/enrol/${await world.addUser('ann', 'viewer')}`,
    });
    expect(enrolPage.headers['cache-control']).toBe('no-store'); // it shows a TOTP secret
    expect(new Set(recoveryCodes).size).toBe(10);
    // Enrolment signs the person in.
    const me = await world.app.inject({ method: 'GET', url: '/t/analyst', headers: jar.header() });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ principal: { name: 'alice', role: 'analyst', via: 'session' } });
    // The link works once.
    const again = await world.app.inject({ method: 'GET', url: `/enrol/${token}` });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('unknown, used or expired');

    world.clock.advance(30_000);
    const fresh = new CookieJar();
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'alice', code: totpCode(secret, world.clock.now()), next: '/alerts' }),
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/alerts');
    fresh.take(signIn);
    expect(
      (await world.app.inject({ method: 'GET', url: '/t/viewer', headers: fresh.header() })).statusCode,
    ).toBe(200);

    const signIns = await world.audited('console.sign-in');
    expect(signIns.map((r) => [r.actor, r.details?.['method']])).toEqual([
      ['alice', 'enrolment'],
      ['alice', 'totp'],
    ]);
    expect((await world.audited('user.enrol'))[0]).toMatchObject({
      actor: 'alice',
      details: { method: 'totp' },
    });
  });

  it('refuses a code used once already, a wrong code and an open redirect', async () => {
    const world = await authWorld();
    const { secret } = await world.signedIn('bob', 'viewer');
    world.clock.advance(30_000);
    const code = totpCode(secret, world.clock.now());
    const first = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'bob', code, next: '//evil.example/x' }),
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/');
    const replay = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'bob', code }),
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect(replay.body).toContain('Sign-in failed');
    const wrong = await world.app.inject({
      method: 'POST',
      url: '/sign-in/totp',
      ...form({ name: 'bob', code: '000000' }),
    });
    expect(wrong.statusCode).toBe(401);
    const failures = await world.audited('console.sign-in-failed');
    expect(failures.map((r) => r.details?.['reason'])).toEqual(['wrong-credential', 'wrong-credential']);
  });

  it('keeps no TOTP secret, recovery code or session id in the database in clear', async () => {
    const world = await authWorld();
    const { secret, recoveryCodes, jar } = await world.signedIn('carol', 'admin');
    // The database and its write-ahead log: whatever was written is in one of them.
    const files = ['vigil.db', 'vigil.db-wal'].map((f) => path.join(world.dataDir, f));
    const bytes = files
      .map((f) => {
        try {
          return readFileSync(f).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain(secret);
    for (const code of recoveryCodes) expect(bytes).not.toContain(code.replace(/-/g, ''));
    const cookie = jar.cookies.get('vigil_session')!;
    expect(cookie).toMatch(/^vs_/);
    expect(bytes).not.toContain(cookie);
  });

  it('refuses an enrolment link after 24 hours, and an old link once the user is reset', async () => {
    const world = await authWorld();
    const stale = await world.addUser('olga', 'viewer');
    world.clock.advance(24 * 60 * 60_000);
    expect((await world.app.inject({ method: 'GET', url: `/enrol/${stale}` })).statusCode).toBe(404);

    const first = (await world.enrolments.create((await world.accounts.require('olga')).id)).token;
    await world.accounts.reset('olga');
    const second = (await world.enrolments.create((await world.accounts.require('olga')).id)).token;
    expect((await world.app.inject({ method: 'GET', url: `/enrol/${first}` })).statusCode).toBe(404);
    expect((await world.app.inject({ method: 'GET', url: `/enrol/${second}` })).statusCode).toBe(200);
  });
});
