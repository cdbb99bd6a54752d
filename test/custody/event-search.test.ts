import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { searchEvents, sourcesWithEvents } from '../../src/custody/event-search.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { openTestCustody } from '../support/open-custody.js';
import { oktaEvent, type EventSpec } from '../support/okta-events.js';
import { removeDir, tempDir } from '../support/temp-dir.js';

const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const MINUTE = 60_000;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

/** A store with three sources whose events interleave in time: `okta-a` at even minutes, `okta-b` at odd ones. */
async function threeSources() {
  const dir = tempDir('vigil-event-search-');
  dirs.push(dir);
  const opened = await openTestCustody(dir, new ManualClock(new Date(T0 + 60 * MINUTE).toISOString()));
  const ingest = async (source: string, specs: EventSpec[]) => {
    const body = JSON.stringify(specs.map((s) => oktaEvent(s)));
    await opened.custody.ingest(source, preparePage(OKTA_PAGE_FORMAT, source, body), {
      nextUrl: `${source}:1`,
      highWaterMs: null,
    });
  };
  await ingest(
    'okta-a',
    Array.from({ length: 10 }, (_, i) => ({ at: T0 + 2 * i * MINUTE, eventType: 'user.session.start' })),
  );
  await ingest(
    'okta-b',
    Array.from({ length: 10 }, (_, i) => ({ at: T0 + (2 * i + 1) * MINUTE, eventType: 'user.session.end' })),
  );
  await ingest('okta-c', [{ at: T0 - 60 * MINUTE, eventType: 'user.session.start' }]);
  return opened;
}

describe('searchEvents across sources', () => {
  it('finds each source with events by index seeks', async () => {
    const { db, close } = await threeSources();
    expect(await sourcesWithEvents(db)).toEqual(['okta-a', 'okta-b', 'okta-c']);
    await close();
  });

  it('merges sources newest first and keeps to the limit, as one query over the store would', async () => {
    const { db, close } = await threeSources();
    const newest = await searchEvents(db, { limit: 5 });
    expect(newest.map((e) => [e.source, e.published])).toEqual(
      [19, 18, 17, 16, 15].map((m) => [
        m % 2 === 0 ? 'okta-a' : 'okta-b',
        new Date(T0 + m * MINUTE).toISOString(),
      ]),
    );
    // Every filter still applies per source: a type prefix, a window, free text.
    const ends = await searchEvents(db, { type: 'user.session.e*', toMs: T0 + 6 * MINUTE, limit: 10 });
    expect(ends.map((e) => e.published)).toEqual(
      [5, 3, 1].map((m) => new Date(T0 + m * MINUTE).toISOString()),
    );
    const all = await searchEvents(db, { limit: 100 });
    expect(all).toHaveLength(21);
    expect(all.at(-1)?.source).toBe('okta-c');
    expect(Object.keys(all[0]!).sort()).toEqual(
      ['actor', 'clientIp', 'eventType', 'outcome', 'published', 'raw', 'source'].sort(),
    );
    await close();
  });

  it('an empty store has no sources and no events', async () => {
    const dir = tempDir('vigil-event-search-');
    dirs.push(dir);
    const { db, close } = await openTestCustody(dir, new ManualClock(new Date(T0).toISOString()));
    expect(await sourcesWithEvents(db)).toEqual([]);
    expect(await searchEvents(db, { limit: 10 })).toEqual([]);
    await close();
  });
});
