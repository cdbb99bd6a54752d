import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPagePreparer, INLINE_BELOW_CHARS, inlinePreparer } from '../../src/custody/page-preparer.js';
import { generateOrgHistory } from '../../src/sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { compiledWorker } from '../support/compiled-worker.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

// The compiled worker (built by the globalSetup); the file fails here, naming it, when it is missing.
const WORKER = compiledWorker('custody', 'prepare-page-worker.js');
const events = generateOrgHistory({ seed: 5, users: 10, days: 1, endMs: Date.parse('2026-03-10T12:00:00Z') });
// Spacing between elements, as a provider may send it: each event's text must still come back exact.
const body = '[ ' + events.map((e) => JSON.stringify(e)).join(' ,\n') + '\n]';
// Every page on the threads, however small (by default small pages stay on the calling thread).
const workers = createPagePreparer({ workers: 2, script: WORKER, inlineBelowChars: 0 });

afterAll(() => workers.close());

const comparable = (prepared: Awaited<ReturnType<typeof inlinePreparer.prepare>>) =>
  prepared.map((e) => ({
    raw: e.raw,
    uuid: e.uuid,
    published: e.published,
    publishedMs: e.publishedMs,
    value: e.value,
    columns: e.columns,
    leaf: Buffer.from(e.leaf).toString('hex'),
    leafHash: Buffer.from(e.leafHash).toString('hex'),
  }));

describe('page preparation on worker threads', () => {
  it('prepares exactly what the calling thread prepares', async () => {
    // A pool, not the calling-thread fallback, with its inline path for small pages off: every page
    // below that comes back was prepared on a worker thread.
    expect(workers, 'createPagePreparer fell back to the calling thread').not.toBe(inlinePreparer);
    const [onWorkers, inline] = await Promise.all([
      workers.prepare(OKTA_PAGE_FORMAT, 'okta', body),
      inlinePreparer.prepare(OKTA_PAGE_FORMAT, 'okta', body),
    ]);
    expect(onWorkers).toHaveLength(events.length);
    expect(comparable(onWorkers)).toEqual(comparable(inline));
    expect(onWorkers.map((e) => e.raw)).toEqual(events.map((e) => JSON.stringify(e)));
  });

  it('answers many pages in flight, each with its own events', async () => {
    const pages = Array.from({ length: 8 }, (_, i) => JSON.stringify(events.slice(i * 10, i * 10 + 10)));
    const prepared = await Promise.all(pages.map((p) => workers.prepare(OKTA_PAGE_FORMAT, 'okta', p)));
    expect(prepared.map((p) => p.map((e) => e.uuid))).toEqual(
      pages.map((_, i) => events.slice(i * 10, i * 10 + 10).map((e) => e.uuid)),
    );
  });

  it('refuses a bad page with the same error code and message as the calling thread', async () => {
    const bad = JSON.stringify([events[0], { ...events[1], uuid: 42 }]);
    const inline = await expectCode(inlinePreparer.prepare(OKTA_PAGE_FORMAT, 'okta', bad), 'SOURCE_BAD_PAGE');
    const onWorker = await expectCode(workers.prepare(OKTA_PAGE_FORMAT, 'okta', bad), 'SOURCE_BAD_PAGE');
    expect(onWorker.message).toBe(inline.message);
    expect(onWorker.message).toMatch(/event 1 has no valid uuid/);
    expect(onWorker.category).toBe('external');
    // The pool keeps working after a refused page.
    expect(await workers.prepare(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(events.slice(0, 3)))).toHaveLength(
      3,
    );
  });

  it('falls back to the calling thread when the compiled worker is absent', async () => {
    const fallback = createPagePreparer({ script: path.resolve('no-such-worker.js') });
    expect(fallback).toBe(inlinePreparer);
  });

  it('refuses work once closed', async () => {
    const pool = createPagePreparer({ workers: 1, script: WORKER, inlineBelowChars: 0 });
    expect(pool).not.toBe(inlinePreparer);
    await pool.close();
    await expectCode(pool.prepare(OKTA_PAGE_FORMAT, 'okta', '[]'), 'CUSTODY_PREPARER_FAILED');
  });

  it('starts its threads only for the first page large enough to need them (issue 20)', async () => {
    // A thread that cannot start: only a page that goes to a thread can fail.
    const broken = path.join(tempDir('vigil-preparer-'), 'worker.mjs');
    writeFileSync(broken, "throw new Error('no threads today');\n");
    const pool = createPagePreparer({ workers: 1, script: broken });
    expect(pool).not.toBe(inlinePreparer);
    const small = JSON.stringify(events.slice(0, 3));
    expect(small.length).toBeLessThan(INLINE_BELOW_CHARS);
    // An empty page (a run with nothing new) and a small one: on this thread, no thread started.
    expect(await pool.prepare(OKTA_PAGE_FORMAT, 'okta', '[]')).toEqual([]);
    expect(await pool.prepare(OKTA_PAGE_FORMAT, 'okta', small)).toHaveLength(3);
    const large = '[' + ' '.repeat(INLINE_BELOW_CHARS) + ']';
    await expectCode(pool.prepare(OKTA_PAGE_FORMAT, 'okta', large), 'CUSTODY_PREPARER_FAILED');
    await pool.close();
  });
});
