import { describe, expect, it } from 'vitest';
import { authWorld, ORIGIN } from './auth-world.js';

describe('user management over /api/v1 (admins)', () => {
  it('adds, lists, disables, resets users and makes and revokes tokens, audited as the admin', async () => {
    const world = await authWorld();
    const admin = await world.signedIn('root-admin', 'admin');
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      world.app.inject({
        method,
        url,
        headers: {
          ...admin.jar.header(),
          'x-csrf-token': admin.csrf,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });

    const added = await call('POST', '/api/v1/users', { name: 'newbie', role: 'viewer' });
    expect(added.statusCode).toBe(200);
    const link = added.json<{ enrolmentLink: string }>().enrolmentLink;
    expect(link).toMatch(new RegExp(`^${ORIGIN}/enrol/ve_`));
    expect((await world.app.inject({ method: 'GET', url: new URL(link).pathname })).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/users', { name: 'newbie', role: 'viewer' })).statusCode).toBe(409);
    expect(
      (await call('POST', '/api/v1/users', { name: 'x@example.com', role: 'viewer' })).json(),
    ).toMatchObject({
      error: { code: 'USER_INPUT_INVALID' },
    });

    const listed = (await call('GET', '/api/v1/users'))
      .json<{ users: { name: string }[] }>()
      .users.map((u) => u.name);
    expect(listed).toEqual(['newbie', 'root-admin']);

    const made = await call('POST', '/api/v1/users/newbie/tokens', { role: 'viewer', label: 'grafana' });
    expect(made.statusCode).toBe(200);
    const { token, summary } = made.json<{ token: string; summary: { id: string } }>();
    expect(
      (
        await world.app.inject({
          method: 'GET',
          url: '/t/viewer',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('POST', `/api/v1/tokens/${summary.id}/revoke`)).statusCode).toBe(200);
    expect(
      (
        await world.app.inject({
          method: 'GET',
          url: '/t/viewer',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
    expect((await call('POST', '/api/v1/tokens/nope/revoke')).statusCode).toBe(404);

    expect((await call('POST', '/api/v1/users/newbie/disable')).json()).toMatchObject({
      user: { disabled: true },
    });
    expect((await call('POST', '/api/v1/users/ghost/disable')).statusCode).toBe(404);
    const reset = await call('POST', '/api/v1/users/newbie/reset');
    expect(reset.json<{ enrolmentLink: string }>().enrolmentLink).not.toBe(link);
    // An admin does not lock themselves out from the console.
    expect((await call('POST', '/api/v1/users/root-admin/disable')).statusCode).toBe(400);

    const audit = await world.runtime.auditLog().list();
    const byAdmin = audit.filter((r) => r.actor === 'root-admin' && r.target === 'newbie').reverse();
    expect(byAdmin.map((r) => r.action)).toEqual([
      'user.add',
      'user.token-add',
      'user.token-revoke',
      'user.disable',
      'user.reset',
    ]);
  });

  it('is for admins only', async () => {
    const world = await authWorld();
    const analyst = await world.signedIn('ana', 'analyst');
    const headers = {
      ...analyst.jar.header(),
      'x-csrf-token': analyst.csrf,
      'content-type': 'application/json',
    };
    const routes: [string, string][] = [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users'],
      ['POST', '/api/v1/users/ana/disable'],
      ['POST', '/api/v1/users/ana/enable'],
      ['POST', '/api/v1/users/ana/reset'],
      ['POST', '/api/v1/users/ana/tokens'],
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens/x/revoke'],
    ];
    for (const [method, url] of routes) {
      const asAnalyst = await world.app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(method === 'POST' ? { payload: '{}' } : {}),
      });
      expect(asAnalyst.statusCode, `${method} ${url}`).toBe(403);
      const anonymous = await world.app.inject({ method: method as 'GET', url });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
