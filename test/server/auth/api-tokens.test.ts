import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCode } from '../../support/expect-code.js';
import { authWorld } from './auth-world.js';

describe('API tokens', () => {
  it('acts with the token role, needs no CSRF token, and is stored only as a hash', async () => {
    const world = await authWorld();
    const owner = await world.accounts.add('wes', 'admin');
    const { token, summary } = await world.tokens.create(owner, 'analyst', 'triage bot');
    expect(token).toMatch(/^vigil_at_[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };

    const read = await world.app.inject({ method: 'GET', url: '/t/analyst', headers: bearer });
    expect(read.json()).toMatchObject({
      principal: { name: 'wes', role: 'analyst', via: 'api-token', tokenId: summary.id },
    });
    expect((await world.app.inject({ method: 'GET', url: '/t/admin', headers: bearer })).statusCode).toBe(
      403,
    );
    // No cookie, so no CSRF token needed: a browser cannot be made to send this header.
    expect((await world.app.inject({ method: 'POST', url: '/t/analyst', headers: bearer })).statusCode).toBe(
      200,
    );

    const stored = await world.runtime.store.db.selectFrom('console_api_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token.slice('vigil_at_'.length));
    const bytes = ['vigil.db', 'vigil.db-wal']
      .map((f) => {
        try {
          return readFileSync(path.join(world.dataDir, f)).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    expect(bytes).not.toContain(token.slice('vigil_at_'.length));
    expect((await world.tokens.list())[0]?.lastUsed).toBe(new Date(world.clock.now()).toISOString());
  });

  it('is capped by its owner: no token above their role, demotions and revocation apply at once', async () => {
    const world = await authWorld();
    const owner = await world.accounts.add('xia', 'analyst');
    const session = await world.signedIn('yoko', 'viewer');
    await expectCode(world.tokens.create(owner, 'admin', 'too much'), 'TOKEN_ROLE_REFUSED');
    const { token, summary } = await world.tokens.create(owner, 'analyst', 'ok');
    const bearer = { authorization: `Bearer ${token}` };
    await world.runtime.store.db
      .updateTable('console_users')
      .set({ role: 'viewer' })
      .where('id', '=', owner.id)
      .execute();
    expect((await world.app.inject({ method: 'GET', url: '/t/analyst', headers: bearer })).statusCode).toBe(
      403,
    );
    await world.tokens.revoke(summary.id);
    expect((await world.app.inject({ method: 'GET', url: '/t/viewer', headers: bearer })).statusCode).toBe(
      401,
    );
    // An Authorization header alone decides who a request is: a bad one does not fall back to a
    // session cookie sent beside it, and the refusal says nothing about why.
    const garbage = await world.app.inject({
      method: 'GET',
      url: '/t/viewer',
      headers: { authorization: 'Bearer nope', ...session.jar.header() },
    });
    expect(garbage.json()).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    expect(
      (await world.app.inject({ method: 'GET', url: '/t/viewer', headers: session.jar.header() })).statusCode,
    ).toBe(200);
  });
});
