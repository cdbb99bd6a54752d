import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { VigilError } from '../../src/core/vigil-error.js';
import { IngestPipeline } from '../../src/custody/ingest-pipeline.js';
import { preparePage, type PreparedEvent } from '../../src/custody/prepared-page.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { expectCode } from '../support/expect-code.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const END = '2026-03-10T12:00:00.000Z';
const events = generateOrgHistory({ seed: 8, users: 20, days: 2, endMs: Date.parse(END) }).slice(0, 120);
if (events.length < 120) throw new Error('the test wants 120 events');
const pages = Array.from({ length: 6 }, (_, i) =>
  preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(events.slice(i * 20, i * 20 + 20))),
);
const cursor = (i: number) => ({ nextUrl: `page:${i}`, highWaterMs: null });

/** A promise settled by hand, to hold a page "in preparation". */
function deferred() {
  let resolve!: (events: PreparedEvent[]) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<PreparedEvent[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function store() {
  return openTestCustody(tempDir('vigil-pipeline-'), new ManualClock(END));
}

const storedIds = async (custody: Awaited<ReturnType<typeof store>>) =>
  (await custody.db.selectFrom('events').select('provider_id').orderBy('leaf_index').execute()).map(
    (r) => r.provider_id,
  );

describe('ingest pipeline', () => {
  it('writes pages in push order, one transaction per group of pages ready together', async () => {
    const custody = await store();
    const committed: number[] = [];
    // Page 1 is still being prepared when page 0 is written, so page 0 goes alone; once page 1 is
    // ready, it and everything queued behind it go in one transaction.
    const second = deferred();
    const pipeline = new IngestPipeline(custody.custody, 'okta', {
      maxQueuedPages: 8,
      onCommitted: (_result, n) => {
        committed.push(n);
        second.resolve(pages[1]!);
      },
    });
    await pipeline.push(pages[0]!, cursor(0));
    await pipeline.push(second.promise, cursor(1));
    for (let i = 2; i < pages.length; i++) await pipeline.push(pages[i]!, cursor(i));
    await pipeline.finish();
    expect(committed).toEqual([1, 5]);
    expect(await storedIds(custody)).toEqual(events.slice(0, 120).map((e) => e.uuid));
    expect((await custody.custody.cursor('okta'))?.next_url).toBe('page:5');
    await custody.close();
  });

  it('caps a transaction at maxBatchEvents, in whole pages', async () => {
    const custody = await store();
    const committed: number[] = [];
    const pipeline = new IngestPipeline(custody.custody, 'okta', {
      maxBatchEvents: 40,
      maxQueuedPages: 8,
      onCommitted: (_result, n) => void committed.push(n),
    });
    for (let i = 0; i < pages.length; i++) await pipeline.push(pages[i]!, cursor(i));
    await pipeline.finish();
    expect(committed).toEqual([2, 2, 2]);
    expect(await storedIds(custody)).toHaveLength(120);
    await custody.close();
  });

  it('stops at a page whose preparation failed: nothing from it or after it is stored', async () => {
    const custody = await store();
    const pipeline = new IngestPipeline(custody.custody, 'okta');
    await pipeline.push(pages[0]!, cursor(0));
    await pipeline.finish();
    const bad = deferred();
    await pipeline.push(bad.promise, cursor(1));
    await pipeline.push(pages[2]!, cursor(2));
    const failure = new VigilError('SOURCE_BAD_PAGE', 'event 3 is not valid JSON');
    bad.reject(failure);
    // The page's own error, from finish and from every push after it.
    expect(await expectCode(pipeline.finish(), 'SOURCE_BAD_PAGE')).toBe(failure);
    expect(await expectCode(pipeline.push(pages[3]!, cursor(3)), 'SOURCE_BAD_PAGE')).toBe(failure);
    expect(await storedIds(custody)).toEqual(events.slice(0, 20).map((e) => e.uuid));
    expect((await custody.custody.cursor('okta'))?.next_url).toBe('page:0');
    await custody.close();
  });

  it('makes push wait while the queue is full', async () => {
    const custody = await store();
    const pipeline = new IngestPipeline(custody.custody, 'okta', { maxQueuedPages: 2 });
    const head = deferred();
    await pipeline.push(head.promise, cursor(0));
    await pipeline.push(pages[1]!, cursor(1));
    let third = false;
    const pushing = pipeline.push(pages[2]!, cursor(2)).then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    head.resolve(pages[0]!);
    await pushing;
    await pipeline.finish();
    expect(await storedIds(custody)).toHaveLength(60);
    await custody.close();
  });

  it('holds a few pages by default, and bounds what it holds by their size too', async () => {
    const custody = await store();
    // By default: at most 4 pages queued or being written, whatever their size.
    const byDefault = new IngestPipeline(custody.custody, 'okta');
    const held = deferred();
    await byDefault.push(held.promise, cursor(0));
    for (let i = 1; i < 4; i++) await byDefault.push(pages[i]!, cursor(i));
    let fifth = false;
    const pushingFifth = byDefault.push(pages[4]!, cursor(4)).then(() => (fifth = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fifth).toBe(false);
    expect(byDefault.inFlight.pages).toBe(4);
    held.resolve(pages[0]!);
    await pushingFifth;
    await byDefault.finish();
    expect(byDefault.inFlight).toEqual({ pages: 0, chars: 0 });

    // By size: once the pages held reach maxQueuedChars, push waits, even with page slots free.
    const chars = (page: PreparedEvent[]) => page.reduce((n, e) => n + e.raw.length, 0);
    const other = await store();
    const bySize = new IngestPipeline(other.custody, 'okta', {
      maxQueuedPages: 100,
      maxQueuedChars: chars(pages[1]!),
    });
    const first = deferred();
    await bySize.push(first.promise, cursor(0));
    // The head is still in preparation (its size unknown): the writer waits for it, a page fits.
    await bySize.push(pages[1]!, cursor(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(bySize.inFlight).toEqual({ pages: 2, chars: chars(pages[1]!) });
    let third = false;
    const pushingThird = bySize.push(pages[2]!, cursor(2)).then(() => (third = true));
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    first.resolve(pages[0]!);
    await pushingThird;
    await bySize.finish();
    expect(await storedIds(other)).toHaveLength(60);
    // A single page larger than the limit still goes through alone.
    const tiny = new IngestPipeline(other.custody, 'okta', { maxQueuedChars: 1 });
    await tiny.push(pages[3]!, cursor(3));
    await tiny.push(pages[4]!, cursor(4));
    await tiny.finish();
    expect(await storedIds(other)).toHaveLength(100);
    await custody.close();
    await other.close();
  });
});
