import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/server/security-headers.js';
import { CONSOLE_ORIGIN, ConsoleWorld, demoDataDir, type TestUser } from './console-world.js';

/**
 * The console's HTTP contract over the demo's store (issue 18 "Tests", HTTP level): access enforced
 * route by route from the registered route table, CSRF, security headers, no raw email or IP in any
 * viewer answer, tokens stable across requests and restarts, reveals recorded, triage audited.
 */
let dataDir: string;
let world: ConsoleWorld;
let viewer: TestUser;
let analyst: TestUser;
let admin: TestUser;

/** Every email and IP address the store's events hold: none may reach a viewer. */
let personal: string[];
interface Person {
  type?: string;
  displayName?: string;
}

beforeAll(async () => {
  dataDir = await demoDataDir();
  world = await ConsoleWorld.open(dataDir);
  viewer = await world.user('vera', 'viewer');
  analyst = await world.user('anna', 'analyst');
  admin = await world.user('adam', 'admin');
  const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
  const raws = db.prepare('select raw from events').pluck().all() as string[];
  db.close();
  const found = new Set<string>();
  for (const raw of raws) {
    for (const m of raw.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g)) found.add(m[0]);
    for (const m of raw.matchAll(/"ipAddress":"([^"]+)"/g)) if (m[1] && m[1].includes('.')) found.add(m[1]);
    // People's display names (an actor or target of type User).
    const event = JSON.parse(raw) as { actor?: Person; target?: Person[] };
    for (const p of [event.actor, ...(event.target ?? [])])
      if (p?.type === 'User' && p.displayName && p.displayName.includes(' ')) found.add(p.displayName);
  }
  personal = [...found];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.bearer}` });
const session = (user: TestUser, csrf = true) => ({
  cookie: `vigil_session=${user.cookie}`,
  origin: CONSOLE_ORIGIN,
  ...(csrf ? { 'x-csrf-token': user.csrf } : {}),
});

/** A concrete URL for a route pattern (`:id` and the like filled with a name no record has). */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'no-such-thing').replace(/\*$/, 'x');

describe('vigil serve: the HTTP API', () => {
  it('declares access on every route, and refuses each non-public one without a session (401) and with too small a role (403)', async () => {
    const routes = world.app.consoleRoutes;
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((r) => r.access === undefined);
    expect(undeclared, 'every route says who may call it').toEqual([]);
    const guarded = routes.filter((r) => r.access !== 'public');
    // Every console area is in the table, so a new route cannot escape these checks.
    for (const url of [
      '/api/v1/alerts',
      '/api/v1/events',
      '/api/v1/reveal',
      '/api/v1/audit',
      '/metrics',
      '/alerts',
    ])
      expect(guarded.map((r) => r.url)).toContain(url);
    for (const route of guarded) {
      const url = concrete(route.url);
      const method = route.method as 'GET' | 'POST';
      const anonymous = await world.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(anonymous.statusCode, `${method} ${route.url} without a session`).toBe(401);
      if (route.access === 'viewer') continue;
      const tooSmall = route.access === 'admin' ? analyst : viewer;
      for (const headers of [bearer(tooSmall), session(tooSmall)]) {
        const refused = await world.app.inject({
          method,
          url,
          headers,
          ...(method === 'POST' ? { payload: {} } : {}),
        });
        expect(refused.statusCode, `${method} ${route.url} as ${tooSmall.role}`).toBe(403);
      }
    }
  });

  it('refuses a state change with a session but without its CSRF token, or from another origin', async () => {
    const [alert] = (await world.runtime.alertStore().list({ status: 'open', limit: 1 })) ?? [];
    expect(alert).toBeDefined();
    const url = `/api/v1/alerts/${alert!.id}/assign`;
    const noToken = await world.app.inject({
      method: 'POST',
      url,
      headers: session(analyst, false),
      payload: { assignee: 'anna' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_REFUSED');
    const wrongToken = await world.app.inject({
      method: 'POST',
      url,
      headers: { ...session(analyst, false), 'x-csrf-token': viewer.csrf },
      payload: { assignee: 'anna' },
    });
    expect(wrongToken.statusCode).toBe(403);
    const otherOrigin = await world.app.inject({
      method: 'POST',
      url,
      headers: { ...session(analyst), origin: 'https://evil.example' },
      payload: { assignee: 'anna' },
    });
    expect(otherOrigin.statusCode).toBe(403);
    const ok = await world.app.inject({
      method: 'POST',
      url,
      headers: session(analyst),
      payload: { assignee: 'anna' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().alert.assignee).toBe('anna');
  });

  it('sends the security headers on pages, API answers, errors and health alike', async () => {
    for (const request of [
      { url: '/', headers: session(viewer) },
      { url: '/api/v1/overview', headers: bearer(viewer) },
      { url: '/api/v1/alerts?limit=banana', headers: bearer(viewer) },
      { url: '/no-such-page', headers: { accept: 'text/html' } },
      { url: '/healthz', headers: {} },
    ]) {
      const r = await world.app.inject({ method: 'GET', ...request });
      expect(r.headers['content-security-policy'], request.url).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).toContain("default-src 'self'");
      expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
      expect(CONSOLE_CSP).not.toContain('unsafe-inline');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // Plain HTTP on loopback: HSTS would be ignored, or pin a loopback name to https.
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('maps errors to statuses in one place: bad input 400 naming the field, a missing alert 404', async () => {
    const bad = await world.app.inject({ url: '/api/v1/alerts?limit=banana', headers: bearer(viewer) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('CONSOLE_BAD_REQUEST');
    expect(bad.json().error.message).toContain('limit');
    const missing = await world.app.inject({ url: '/api/v1/alerts/no-such-alert', headers: bearer(viewer) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ALERT_NOT_FOUND');
    const page = await world.app.inject({ url: '/alerts/no-such-alert', headers: session(viewer) });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('ALERT_NOT_FOUND');
    const badTime = await world.app.inject({ url: '/api/v1/events?from=yesterday', headers: bearer(viewer) });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().error.message).toContain('from');
  });

  it('shows a viewer no raw email, name of a person or IP address in any answer over the demo data, while geography stays', async () => {
    expect(personal.length).toBeGreaterThan(20);
    expect(
      personal.some((v) => / /.test(v)),
      "people's names are among the values looked for",
    ).toBe(true);
    const alerts = (
      await world.app.inject({ url: '/api/v1/alerts?limit=1000', headers: bearer(viewer) })
    ).json().alerts as { id: string }[];
    const events = (
      await world.app.inject({ url: '/api/v1/events?limit=1000', headers: bearer(viewer) })
    ).json().events as { source: string; id: string; country: string | null }[];
    expect(alerts.length).toBeGreaterThan(5);
    expect(events.length).toBeGreaterThan(100);
    expect(
      events.some((e) => e.country !== null),
      'countries are not personal data',
    ).toBe(true);
    const urls = [
      '/api/v1/overview',
      '/api/v1/alerts?limit=1000',
      '/api/v1/events?limit=1000',
      '/api/v1/custody',
      '/api/v1/posture',
      '/api/v1/canaries',
      '/api/v1/settings',
      '/metrics',
      '/',
      '/alerts',
      '/events?limit=1000',
      '/custody',
      '/posture',
      '/canaries',
      '/settings',
      ...alerts.flatMap((a) => [`/api/v1/alerts/${a.id}`, `/alerts/${a.id}`]),
      ...events
        .slice(0, 60)
        .flatMap((e) => [`/api/v1/events/${e.source}/${e.id}`, `/events/${e.source}/${e.id}`]),
    ];
    for (const url of urls) {
      const r = await world.app.inject({
        url,
        headers: url.startsWith('/api/') || url === '/metrics' ? bearer(viewer) : session(viewer),
      });
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(200);
      for (const value of personal) expect(r.body.includes(value), `${url} shows ${value}`).toBe(false);
    }
  });

  it('gives the same person the same token across requests and across a restart of the console', async () => {
    const tokensOf = async (w: ConsoleWorld) => {
      const body = (await w.app.inject({ url: '/api/v1/events?limit=200', headers: bearer(viewer) })).body;
      return [...body.matchAll(/(?:user|ip|name):[0-9a-f]{16}/g)].map((m) => m[0]);
    };
    const first = await tokensOf(world);
    expect(first.length).toBeGreaterThan(50);
    expect(await tokensOf(world)).toEqual(first);
    const again = await ConsoleWorld.open(dataDir);
    try {
      expect(await tokensOf(again)).toEqual(first);
    } finally {
      await again.close();
    }
  });

  it('reveals one value to an analyst with a reason, records it (token, where, why; never the value), and refuses a viewer', async () => {
    const [event] = (
      await world.app.inject({
        url: '/api/v1/events?type=user.session.start&limit=1',
        headers: bearer(viewer),
      })
    ).json().events as { source: string; id: string; actor: string; ip: string }[];
    expect(event!.actor).toMatch(/^user:[0-9a-f]{16}$/);
    const body = {
      token: event!.actor,
      context: { kind: 'event', source: event!.source, id: event!.id },
      reason: 'checking a sign-in with the user',
    };
    const refused = await world.app.inject({
      method: 'POST',
      url: '/api/v1/reveal',
      headers: session(viewer),
      payload: body,
    });
    expect(refused.statusCode).toBe(403);
    const noReason = await world.app.inject({
      method: 'POST',
      url: '/api/v1/reveal',
      headers: session(analyst),
      payload: { ...body, reason: '' },
    });
    expect(noReason.statusCode).toBe(400);
    const revealed = await world.app.inject({
      method: 'POST',
      url: '/api/v1/reveal',
      headers: session(analyst),
      payload: body,
    });
    expect(revealed.statusCode, revealed.body).toBe(200);
    const value = revealed.json().value as string;
    expect(value).toContain('@');
    expect(personal).toContain(value);
    const audit = await world.app.inject({
      url: '/api/v1/audit?action=console.reveal',
      headers: bearer(admin),
    });
    const [record] = audit.json().records as {
      actor: string;
      target: string;
      reason: string;
      details: { token: string };
    }[];
    expect(record).toMatchObject({
      actor: 'anna',
      target: `event:${event!.source}/${event!.id}`,
      reason: body.reason,
    });
    expect(record!.details.token).toBe(event!.actor);
    expect(audit.body.includes(value)).toBe(false);
    // A token is revealed only where it is shown: another event without it gives nothing.
    const elsewhere = await world.app.inject({
      method: 'POST',
      url: '/api/v1/reveal',
      headers: session(analyst),
      payload: { ...body, token: 'user:0000000000000000' },
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('lets an analyst acknowledge, resolve as a false positive and bulk-triage alerts, each move in the audit log; a viewer only reads', async () => {
    const open = (
      await world.app.inject({ url: '/api/v1/alerts?status=open&sort=severity', headers: bearer(viewer) })
    ).json().alerts as { id: string }[];
    expect(open.length).toBeGreaterThan(3);
    const [a, b, c, d] = open;
    const ack = await world.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${a!.id}/transition`,
      headers: session(analyst),
      payload: { action: 'acknowledge', note: 'looking into it' },
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().alert.status).toBe('acknowledged');
    const fp = await world.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${b!.id}/transition`,
      headers: bearer(analyst),
      payload: { action: 'false-positive', note: 'a drill' },
    });
    expect(fp.json().alert.status).toBe('resolved');
    expect(fp.json().alert.transitions.at(-1).note).toBe('false positive: a drill');
    const bulk = await world.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/bulk',
      headers: session(analyst),
      payload: { ids: [c!.id, d!.id, b!.id], action: 'resolve', note: 'done' },
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, false]);
    const moves = (
      await world.app.inject({ url: '/api/v1/audit?action=alert.transition', headers: bearer(admin) })
    ).json().records as { target: string; actor: string }[];
    expect(moves.map((m) => m.target).sort()).toEqual([a!.id, b!.id, c!.id, d!.id].sort());
    expect(new Set(moves.map((m) => m.actor))).toEqual(new Set(['anna']));
    const byViewer = await world.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${a!.id}/transition`,
      headers: session(viewer),
      payload: { action: 'resolve' },
    });
    expect(byViewer.statusCode).toBe(403);
  });

  it('follows a token in an event search through the event it was shown on, and refuses a bare token', async () => {
    const [event] = (
      await world.app.inject({
        url: '/api/v1/events?type=user.session.start&limit=1',
        headers: bearer(viewer),
      })
    ).json().events as { source: string; id: string; actor: string }[];
    const bare = await world.app.inject({
      url: `/api/v1/events?actor=${event!.actor}`,
      headers: bearer(viewer),
    });
    expect(bare.statusCode).toBe(400);
    const followed = await world.app.inject({
      url: `/api/v1/events?actor=${event!.actor}&context=${event!.source}/${event!.id}`,
      headers: bearer(viewer),
    });
    expect(followed.statusCode, followed.body).toBe(200);
    const found = followed.json().events as { actor: string }[];
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((e) => e.actor))).toEqual(new Set([event!.actor]));
  });

  it('answers one event with an inclusion proof that checks against the signed checkpoint', async () => {
    const [event] = (
      await world.app.inject({ url: '/api/v1/events?limit=1', headers: bearer(viewer) })
    ).json().events as {
      source: string;
      id: string;
    }[];
    const r = await world.app.inject({
      url: `/api/v1/events/${event!.source}/${event!.id}`,
      headers: bearer(viewer),
    });
    expect(r.statusCode).toBe(200);
    const { proof, checkpoint } = r.json() as {
      proof: { treeSize: number; rootHash: string };
      checkpoint: string;
    };
    const { parseInclusionProofJson, verifyInclusionProof } = await import('../../src/ledger/proof-json.js');
    expect(() => verifyInclusionProof(parseInclusionProofJson(proof))).not.toThrow();
    expect(checkpoint.split('\n')[2]).toBe(proof.rootHash);
  });

  it('runs a verification and exports an evidence bundle from the custody routes, both recorded', async () => {
    const verify = await world.app.inject({
      method: 'POST',
      url: '/api/v1/custody/verify',
      headers: bearer(analyst),
    });
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json().report.ok, JSON.stringify(verify.json().report.findings).slice(0, 500)).toBe(true);
    const byAnalyst = await world.app.inject({
      method: 'POST',
      url: '/api/v1/custody/export',
      headers: bearer(analyst),
      payload: { source: 'okta' },
    });
    expect(byAnalyst.statusCode, 'verbatim events: admins only').toBe(403);
    const exported = await world.app.inject({
      method: 'POST',
      url: '/api/v1/custody/export',
      headers: bearer(admin),
      payload: { source: 'okta' },
    });
    expect(exported.statusCode, exported.body).toBe(200);
    const { folder, events } = exported.json() as { folder: string; events: number };
    expect(events).toBeGreaterThan(100);
    expect(existsSync(path.join(folder, 'events.jsonl'))).toBe(true);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const custody = (await world.app.inject({ url: '/api/v1/custody', headers: bearer(viewer) })).json() as {
      verifications: { ok: boolean; by: string }[];
      exports: { by: string; events: number }[];
    };
    expect(custody.verifications[0]).toMatchObject({ ok: true, by: 'anna' });
    expect(custody.exports[0]).toMatchObject({ by: 'adam', events });
    const overview = (
      await world.app.inject({ url: '/api/v1/overview', headers: bearer(viewer) })
    ).json() as {
      sources: { verification: { ok: boolean } | null }[];
    };
    expect(overview.sources[0]!.verification).toMatchObject({ ok: true });
    // No sink is configured in the demo's data directory: a test alert is bad input, named.
    const sinkTest = await world.app.inject({
      method: 'POST',
      url: '/api/v1/settings/sinks/webhook/test',
      headers: bearer(admin),
    });
    expect(sinkTest.statusCode).toBe(400);
    expect(sinkTest.json().error.code).toBe('ALERT_NO_SINKS');
  });

  it("shows sinks without their secrets, their destinations to admins only, and lets an admin change a sink's minimum severity in vigil.yaml", async () => {
    const file = path.join(dataDir, 'vigil.yaml');
    writeFileSync(
      file,
      'alerts:\n  sinks:\n    - type: webhook\n      name: hook\n      url: https://hooks.example/hook?key=abc\n      secret: { env: HOOK_SECRET }\n',
      { mode: 0o600 },
    );
    try {
      const asViewer = (await world.app.inject({ url: '/api/v1/settings', headers: bearer(viewer) })).json();
      expect(asViewer.sinks).toEqual([
        { name: 'hook', type: 'webhook', minSeverity: 'medium', destination: null },
      ]);
      const asAdmin = await world.app.inject({ url: '/api/v1/settings', headers: bearer(admin) });
      expect(asAdmin.json().sinks[0].destination).toBe('hooks.example');
      expect(asAdmin.body).not.toContain('HOOK_SECRET');
      expect(asAdmin.body).not.toContain('key=abc');
      const url = '/api/v1/settings/sinks/hook';
      expect(
        (
          await world.app.inject({
            method: 'POST',
            url,
            headers: bearer(analyst),
            payload: { minSeverity: 'high' },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await world.app.inject({
            method: 'POST',
            url,
            headers: bearer(admin),
            payload: { minSeverity: 'severe' },
          })
        ).statusCode,
      ).toBe(400);
      const changed = await world.app.inject({
        method: 'POST',
        url,
        headers: session(admin),
        payload: { minSeverity: 'high' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(readFileSync(file, 'utf8')).toContain('minSeverity: high');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const [record] = (
        await world.app.inject({ url: '/api/v1/audit?action=settings.change', headers: bearer(admin) })
      ).json().records as { actor: string; details: Record<string, unknown> }[];
      expect(record).toMatchObject({ actor: 'adam', details: { sink: 'hook', from: 'medium', to: 'high' } });
    } finally {
      rmSync(file);
    }
  });

  it('serves /healthz and /readyz without a session and /metrics in Prometheus text to a signed-in scraper', async () => {
    expect((await world.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await world.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', store: 'ok' });
    const metrics = await world.app.inject({ url: '/metrics', headers: bearer(viewer) });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/vigil_ledger_tree_size\{log="okta"\} \d+/);
    expect(metrics.body).toMatch(/vigil_collection_lag_seconds\{source="okta"\} \d+/);
    expect(metrics.body).toMatch(/vigil_alerts\{status="open",severity="[a-z]+"\} \d+/);
    expect(metrics.body).toContain('vigil_http_request_duration_seconds_bucket');
  });
});
