import { afterEach, describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import { oktaLogEventSchema } from '../../src/sources/okta/log-event.js';
import { parseLinks, smallSim } from './sim-harness.js';

type Sim = Awaited<ReturnType<typeof smallSim>>;
let current: Sim | undefined;
afterEach(async () => {
  await current?.sim.close();
  current = undefined;
});
const open = async (...args: Parameters<typeof smallSim>) => (current = await smallSim(...args));

/** Follows next links until an empty page, as Okta advises (okta-api.md §1.3). */
async function pollAll(
  s: Sim,
  first: string,
): Promise<{ events: OktaLogEvent[]; pages: number; lastNext: string }> {
  let url = `${s.sim.baseUrl}/api/v1/logs${first}`;
  const events: OktaLogEvent[] = [];
  for (let pages = 1; ; pages++) {
    const res = await fetch(url, { headers: { authorization: `SSWS ${s.sim.token}` } });
    const page = (await res.json()) as OktaLogEvent[];
    events.push(...page);
    const next = parseLinks(res.headers.get('link') ?? '').next!;
    if (page.length === 0) return { events, pages, lastNext: next };
    url = next;
  }
}

describe('GET /api/v1/logs polling', () => {
  it('returns every committed event exactly once by following next links', async () => {
    const s = await open();
    const { events } = await pollAll(s, '?since=2026-03-01T00:00:00Z&limit=7');
    expect(events.map((e) => e.uuid).sort()).toEqual(
      s.sim
        .truth()
        .map((e) => e.uuid)
        .sort(),
    );
    expect(new Set(events.map((e) => e.uuid)).size).toBe(events.length);
  });

  it('always sends self and next links, and an empty page points at the same position', async () => {
    const s = await open();
    const { lastNext } = await pollAll(s, '?since=2026-03-01T00:00:00Z&limit=1000');
    const res = await fetch(lastNext, { headers: { authorization: `SSWS ${s.sim.token}` } });
    expect(await res.json()).toEqual([]);
    const links = parseLinks(res.headers.get('link')!);
    expect(links.self).toBe(lastNext);
    expect(links.next).toBe(lastNext);
    expect(new URL(lastNext).searchParams.get('since')).toBeNull();
    expect(new URL(lastNext).searchParams.get('after')).toMatch(/^\d+_\d+$/);
  });

  it('orders by persistence time, so late-committed events arrive out of published order', async () => {
    const s = await open({ faults: { lateRate: 0.3, lateMaxMs: 10 * 60_000 } });
    // Late events commit after the history's start-up snapshot, behind their neighbours.
    s.clock.advance(10 * 60_000 + 1);
    const { events } = await pollAll(s, '?since=2026-03-01T00:00:00Z&limit=1000');
    const published = events.map((e) => e.published);
    expect(published).not.toEqual([...published].sort());
  });

  it('shows late events only once they are committed, after the clock moves on', async () => {
    const s = await open({ faults: { lateRate: 0.5, lateMaxMs: 6 * 3_600_000 } });
    const before = s.sim.truth().length;
    const held = s.sim.held().length;
    expect(before).toBeLessThan(held);
    s.clock.advance(7 * 3_600_000);
    expect(s.sim.truth().length).toBe(held);
  });

  it('rejects since together with after, and an invalid after', async () => {
    const s = await open();
    const both = await s.get('?since=2026-03-01T00:00:00Z&after=1_1');
    expect(both.res.status).toBe(400);
    expect(JSON.parse(both.text).errorCode).toBe('E0000001');
    const bad = await s.get('?after=garbage');
    expect(bad.res.status).toBe(400);
  });
});

describe('GET /api/v1/logs bounded', () => {
  it('orders by published time and ends with a page without a next link', async () => {
    const s = await open({ faults: { lateRate: 0.5, lateMaxMs: 6 * 3_600_000 } });
    let url = `${s.sim.baseUrl}/api/v1/logs?since=2026-03-08T00:00:00Z&until=2026-03-10T12:00:00Z&limit=50`;
    const events: OktaLogEvent[] = [];
    for (;;) {
      const res = await fetch(url, { headers: { authorization: `SSWS ${s.sim.token}` } });
      events.push(...((await res.json()) as OktaLogEvent[]));
      const links = parseLinks(res.headers.get('link')!);
      expect(links.self).toBeDefined();
      if (!links.next) break;
      expect(new URL(links.next).searchParams.get('until')).toBe('2026-03-10T12:00:00Z');
      url = links.next;
    }
    const published = events.map((e) => e.published);
    expect(published).toEqual([...published].sort());
    // Bounded reads can miss events not yet committed (okta-api.md §1.3).
    expect(events.length).toBe(s.sim.truth().length);
    expect(events.length).toBeLessThan(s.sim.held().length);
  });

  it('DESCENDING sorts newest first', async () => {
    const s = await open();
    const { text } = await s.get('?sortOrder=DESCENDING&limit=20');
    const published = (JSON.parse(text) as OktaLogEvent[]).map((e) => e.published);
    expect(published).toEqual([...published].sort().reverse());
  });
});

describe('query parameters', () => {
  it('filter: eq, sw, co, and/or with parentheses, any element of target', async () => {
    const s = await open();
    const truth = s.sim.truth();
    const user = s.sim.org.users[0]!;
    const cases: [string, (e: OktaLogEvent) => boolean][] = [
      ['eventType eq "user.session.start"', (e) => e.eventType === 'user.session.start'],
      ['eventType sw "user.authentication"', (e) => e.eventType.startsWith('user.authentication')],
      [
        'eventType co "session" and outcome.result eq "FAILURE"',
        (e) => e.eventType.includes('session') && e.outcome?.result === 'FAILURE',
      ],
      [
        '(eventType eq "user.session.start" or eventType eq "user.authentication.sso") and actor.id eq "' +
          user.id +
          '"',
        (e) =>
          ['user.session.start', 'user.authentication.sso'].includes(e.eventType) && e.actor.id === user.id,
      ],
      [`target.id eq "${user.id}"`, (e) => (e.target ?? []).some((t) => t.id === user.id)],
    ];
    for (const [filter, predicate] of cases) {
      const { text } = await s.get(
        `?since=2026-03-01T00:00:00Z&limit=1000&filter=${encodeURIComponent(filter)}`,
      );
      const got = (JSON.parse(text) as OktaLogEvent[]).map((e) => e.uuid).sort();
      const want = truth
        .filter(predicate)
        .map((e) => e.uuid)
        .sort();
      expect(got, filter).toEqual(want);
      expect(want.length, filter).toBeGreaterThan(0);
    }
  });

  it('filter errors carry Okta codes', async () => {
    const s = await open();
    const expectError = async (filter: string, code: string) => {
      const { res, text } = await s.get(`?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(400);
      expect(JSON.parse(text).errorCode, filter).toBe(code);
    };
    await expectError('display_message eqq "Create okta user"', 'E0000053');
    await expectError('some_invalid_field eq "x"', 'E0000053');
    await expectError('published gt "2026-01-01"', 'E0000053');
    await expectError('debugContext.debugData.url co "/api"', 'E0000031');
  });

  it('q matches all keywords case-insensitively and enforces Okta limits', async () => {
    const s = await open();
    const user = s.sim.org.users[1]!;
    const { text } = await s.get(
      `?since=2026-03-01T00:00:00Z&limit=1000&q=${encodeURIComponent(user.login.toUpperCase() + ' sso')}`,
    );
    const events = JSON.parse(text) as OktaLogEvent[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.actor.alternateId === user.login && e.eventType.includes('sso'))).toBe(true);
    expect((await s.get(`?q=${'a'.repeat(41)}`)).res.status).toBe(400);
    expect((await s.get(`?q=${encodeURIComponent('a b c d e f g h i j k')}`)).res.status).toBe(400);
  });

  it('limit is 0..1000, default 100', async () => {
    const s = await open({ users: 40, days: 3 });
    expect(JSON.parse((await s.get('?since=2026-03-01T00:00:00Z')).text)).toHaveLength(100);
    expect(JSON.parse((await s.get('?since=2026-03-01T00:00:00Z&limit=0')).text)).toHaveLength(0);
    expect((await s.get('?limit=1001')).res.status).toBe(400);
    expect((await s.get('?limit=-1')).res.status).toBe(400);
  });

  it('bad dates give E0000001 with both of Okta causes', async () => {
    const s = await open();
    const { res, text } = await s.get('?until=yesterday');
    expect(res.status).toBe(400);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ errorCode: 'E0000001', errorLink: 'E0000001' });
    expect(body.errorId).toMatch(/^oae/);
    expect(body.errorCauses).toHaveLength(2);
  });

  it('since older than 180 days is an error; 90 to 180 days silently returns only what is retained', async () => {
    const s = await open();
    expect(JSON.parse((await s.get('?since=2025-08-01T00:00:00Z')).text).errorCode).toBe('E0000053');
    const old = await s.get('?since=2025-11-01T00:00:00Z&limit=1000');
    expect(old.res.status).toBe(200);
  });
});

describe('retention', () => {
  it('drops events published more than 90 days ago', async () => {
    const s = await open({ days: 2 });
    expect(s.sim.truth().length).toBeGreaterThan(0);
    s.clock.advance(91 * 86_400_000);
    expect(s.sim.truth()).toHaveLength(0);
    expect(JSON.parse((await s.get('?since=2026-03-01T00:00:00Z&limit=1000')).text)).toEqual([]);
  });
});

describe('auth, rate limits and headers', () => {
  it('accepts SSWS and Bearer with okta.logs.read; 401 E0000011 otherwise; 403 E0000006 without the scope', async () => {
    const s = await open({ oauthTokens: { 'no-scope': ['okta.users.read'] } });
    expect((await s.get('?limit=1', { authorization: `Bearer ${s.sim.token}` })).res.status).toBe(200);
    const none = await s.get('?limit=1', { authorization: '' });
    expect(none.res.status).toBe(401);
    expect(JSON.parse(none.text).errorCode).toBe('E0000011');
    const wrong = await s.get('?limit=1', { authorization: 'SSWS nope' });
    expect(wrong.res.status).toBe(401);
    const scoped = await s.get('?limit=1', { authorization: 'Bearer no-scope' });
    expect(scoped.res.status).toBe(403);
    expect(JSON.parse(scoped.text).errorCode).toBe('E0000006');
  });

  it('counts requests per minute, sends X-Rate-Limit-* and X-Okta-Request-Id, and 429s with E0000047', async () => {
    const s = await open({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { res, text } = await s.get('?limit=1');
      statuses.push(res.status);
      expect(res.headers.get('x-rate-limit-limit')).toBe('3');
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
      if (res.status === 429) expect(JSON.parse(text).errorCode).toBe('E0000047');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const { res } = await s.get('?limit=1');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBe(Math.floor(s.clock.now() / 60_000) * 60 + 60);
    s.clock.advance(60_000);
    expect((await s.get('?limit=1')).res.status).toBe(200);
  });
});

describe('events and determinism', () => {
  it('every generated event parses as an Okta LogEvent', async () => {
    const s = await open();
    for (const e of s.sim.truth()) expect(() => oktaLogEventSchema.parse(e)).not.toThrow();
  });

  it('the same seed gives the same org and events; another seed differs', async () => {
    const a = await open();
    const first = a.sim.truth().map((e) => e.uuid);
    await a.sim.close();
    const b = await open();
    expect(b.sim.truth().map((e) => e.uuid)).toEqual(first);
    await b.sim.close();
    const c = await open({ seed: 8 });
    expect(c.sim.truth().map((e) => e.uuid)).not.toEqual(first);
  });
});
