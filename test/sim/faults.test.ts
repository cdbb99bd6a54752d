import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import { parseLinks, smallSim } from './sim-harness.js';

type Sim = Awaited<ReturnType<typeof smallSim>>;
let current: Sim | undefined;
afterEach(async () => {
  await current?.sim.close();
  current = undefined;
});
const open = async (...args: Parameters<typeof smallSim>) => (current = await smallSim(...args));
const auth = (s: Sim) => ({ authorization: `SSWS ${s.sim.token}` });

/** One page and its next link. */
async function page(s: Sim, url: string): Promise<{ events: OktaLogEvent[]; next?: string }> {
  const res = await fetch(url, { headers: auth(s) });
  expect(res.status).toBe(200);
  return {
    events: (await res.json()) as OktaLogEvent[],
    next: parseLinks(res.headers.get('link') ?? '').next,
  };
}

/** A raw HTTP exchange: the status, the content-length promised, the bytes received, and how it ended. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; promised: number; received: number; ended: 'complete' | 'cut' }>(
    (resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        let received = 0;
        const done = (ended: 'complete' | 'cut') =>
          resolve({
            status: res.statusCode!,
            promised: Number(res.headers['content-length']),
            received,
            ended,
          });
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () => done(res.complete ? 'complete' : 'cut'));
        res.on('aborted', () => done('cut'));
        res.on('error', () => done('cut'));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const SINCE = '?since=2026-03-01T00:00:00Z&limit=25';

describe('simulator faults as Okta would show them', () => {
  it("duplicates across pages: the previous page's last event starts the next page", async () => {
    const s = await open({ faults: { duplicateRate: 1 } });
    const first = await page(s, `${s.sim.baseUrl}/api/v1/logs${SINCE}`);
    const second = await page(s, first.next!);
    expect(second.events[0]!.uuid).toBe(first.events.at(-1)!.uuid);
    // Only that one: the rest of the page is new.
    expect(second.events.slice(1).map((e) => e.uuid)).not.toContain(first.events.at(-1)!.uuid);
    // A first page has no previous page to repeat.
    expect(new Set(first.events.map((e) => e.uuid)).size).toBe(first.events.length);
  });

  it('duplicates inside a page are their own fault: the page repeats its first event', async () => {
    const s = await open({ faults: { duplicateInPageRate: 1 } });
    const first = await page(s, `${s.sim.baseUrl}/api/v1/logs${SINCE}`);
    expect(first.events[1]!.uuid).toBe(first.events[0]!.uuid);
    const second = await page(s, first.next!);
    expect(second.events[0]!.uuid).not.toBe(first.events.at(-1)!.uuid);
  });

  it('a truncated transfer fails at the HTTP layer: content-length promises more than is sent', async () => {
    const s = await open({ faults: { truncateRate: 1 } });
    for (let i = 0; i < 6; i++) {
      const got = await rawGet(`${s.sim.baseUrl}/api/v1/logs${SINCE}`, auth(s));
      expect(got.status).toBe(200);
      expect(got.received).toBeLessThan(got.promised);
      expect(got.ended).toBe('cut');
    }
    // And so fetch, as a collector reads, fails rather than handing over half a page.
    const res = await fetch(`${s.sim.baseUrl}/api/v1/logs${SINCE}`, { headers: auth(s) });
    await expect(res.text()).rejects.toThrow();
  });

  it('a malformed body stays a complete 200 that is not JSON', async () => {
    const s = await open({ faults: { malformedRate: 1 } });
    const got = await rawGet(`${s.sim.baseUrl}/api/v1/logs${SINCE}`, auth(s));
    expect(got).toMatchObject({ status: 200, ended: 'complete' });
    expect(got.received).toBe(got.promised);
    const { text } = await s.get(SINCE);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('counts the bucket down truthfully and, once it is empty, refuses every request until the reset', async () => {
    const s = await open({ rateLimitPerMinute: 5 });
    const seen: [number, string | null][] = [];
    for (let i = 0; i < 9; i++) {
      const { res } = await s.get('?limit=1');
      seen.push([res.status, res.headers.get('x-rate-limit-remaining')]);
    }
    expect(seen).toEqual([
      [200, '4'],
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
      [429, '0'],
      [429, '0'],
      [429, '0'],
    ]);
    s.clock.advance(60_000);
    const after = await s.get('?limit=1');
    expect([after.res.status, after.res.headers.get('x-rate-limit-remaining')]).toEqual([200, '4']);
  });

  it('a drained bucket (another integration) refuses everything after it until the reset, not a coin flip', async () => {
    const s = await open({ rateLimitPerMinute: 1_000, faults: { rateLimitStormRate: 0.1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const { res, text } = await s.get('?limit=1');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
        expect(res.headers.get('x-rate-limit-limit')).toBe('1000');
        expect(JSON.parse(text).errorCode).toBe('E0000047');
      }
    }
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(firstRefusal).every((status) => status === 429)).toBe(true);
    s.clock.advance(60_000);
    expect(statuses.length).toBe(60);
  });

  it('a concurrency 429 says limit 0 and remaining 0 and takes nothing from the bucket', async () => {
    const s = await open({ rateLimitPerMinute: 100, faults: { concurrencyLimitRate: 0.4 } });
    const remaining: number[] = [];
    let concurrency = 0;
    for (let i = 0; i < 30; i++) {
      const { res } = await s.get('?limit=1');
      if (res.status === 429) {
        concurrency++;
        expect(res.headers.get('x-rate-limit-limit')).toBe('0');
        expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
      } else remaining.push(Number(res.headers.get('x-rate-limit-remaining')));
    }
    expect(concurrency).toBeGreaterThan(0);
    expect(remaining).toEqual(remaining.map((_, i) => 99 - i));
  });

  it('late persistence reaches anywhere in the history, not only its last minutes', async () => {
    const s = await open({ days: 2, faults: { lateRate: 0.05, lateMaxMs: 5 * 60_000 } });
    const committed = new Set(s.sim.truth().map((e) => e.uuid));
    const late = s.sim.held().filter((e) => !committed.has(e.uuid));
    const dayAgo = s.clock.now() - 86_400_000;
    expect(late.some((e) => Date.parse(e.published) < dayAgo)).toBe(true);
    s.clock.advance(5 * 60_000 + 1);
    expect(s.sim.truth().length).toBe(s.sim.held().length);
  });

  it("a bounded query's after cursor is a position: events committed meanwhile do not shift it", async () => {
    const s = await open({ days: 2, faults: { lateRate: 0.2, lateMaxMs: 5 * 60_000 } });
    const first = await page(
      s,
      `${s.sim.baseUrl}/api/v1/logs?since=2026-03-08T12:00:00Z&until=2026-03-10T12:00:00Z&limit=20`,
    );
    // The late events commit, many of them before the cursor in published order.
    s.clock.advance(5 * 60_000 + 1);
    const second = await page(s, first.next!);
    const last = first.events.at(-1)!;
    const seen = new Set(first.events.map((e) => e.uuid));
    expect(second.events.filter((e) => seen.has(e.uuid))).toEqual([]);
    const key = (e: OktaLogEvent) => `${e.published}|${e.uuid}`;
    expect(key(second.events[0]!) > key(last)).toBe(true);
    // Nothing after the cursor was passed over: the page starts at the first committed event past it.
    const past = s.sim
      .truth()
      .filter((e) => key(e) > key(last) && e.published < '2026-03-10T12:00:00Z')
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(second.events[0]!.uuid).toBe(past[0]!.uuid);
  });
});
