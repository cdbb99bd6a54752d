import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { storedDetectionLog } from '../../../src/custody/stored-detection-log.js';
import type { Detection } from '../../../src/detect/detection.js';
import { DetectionFeed } from '../../../src/detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { preparePage } from '../../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../../src/sources/okta/okta-page-format.js';
import { HOME, HOSTILE, signIn as signInFrom, T0 as T, type Origin } from '../../support/okta-events.js';
import { openTestCustody } from '../../support/open-custody.js';
import { tempDir } from '../../support/temp-dir.js';

const signIn = (at: number, from: Origin) => signInFrom('ann', { at, from, session: 'idxStolen' });
const page = (...events: ReturnType<typeof signIn>[]) =>
  preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(events));

/** A data directory, and a "process" on it: its own pipeline and feed, as `vigil collect` builds them. */
async function world() {
  const clock = new ManualClock(T + 3_600_000);
  const dir = tempDir('vigil-feed-');
  const custody = await openTestCustody(dir, clock);
  const process = async () => {
    const detections: Detection[] = [];
    const feed = new DetectionFeed({
      log: storedDetectionLog(custody.db, clock),
      pipeline: await DetectionPipeline.factory(),
      onDetection: (d) => {
        detections.push(d);
        return Promise.resolve();
      },
    });
    return { feed, detections };
  };
  return { custody, process };
}

const ingest = async (w: Awaited<ReturnType<typeof world>>, events: ReturnType<typeof page>, n: number) => {
  const r = await w.custody.custody.ingest('okta', events, { nextUrl: `page:${n}`, highWaterMs: null });
  return { stored: r.stored, firstLeaf: r.treeSize - r.stored.length };
};

describe('detection over the store, across restarts', () => {
  it('detects on restart what a crash left stored but undetected', async () => {
    const w = await world();
    const first = await w.process();
    expect(await first.feed.start('okta')).toEqual({ warmedUp: 0, caughtUp: 0 });
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    // The page with the replayed session commits; the process dies before detection runs.
    await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);

    const second = await w.process();
    const started = await second.feed.start('okta');
    expect(started).toEqual({ warmedUp: 1, caughtUp: 1 });
    expect(second.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    // The mark moved: a third process detects nothing again.
    const third = await w.process();
    expect((await third.feed.start('okta')).caughtUp).toBe(0);
    await w.custody.close();
  });

  it('refuses events for a source it has not started, rather than take them as already detected', async () => {
    const w = await world();
    const { feed } = await w.process();
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await expect(feed.stored('okta', a.stored, a.firstLeaf)).rejects.toThrow(TypeError);
    await w.custody.close();
  });

  it('keeps detector state across a restart by replaying recent history silently', async () => {
    const w = await world();
    const first = await w.process();
    await first.feed.start('okta');
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    expect(first.detections).toHaveLength(0);

    // A new process (collect --once from cron): the session's first use is only in the store.
    const second = await w.process();
    await second.feed.start('okta');
    const b = await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);
    await second.feed.stored('okta', b.stored, b.firstLeaf);
    expect(second.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    // Warm-up raised nothing for the history it replayed.
    expect(second.detections.every((d) => d.eventIds.includes(b.stored[0]!.uuid))).toBe(true);
    await w.custody.close();
  });

  it("keeps each source's detector state apart: one org's session never matches another's", async () => {
    const w = await world();
    const { feed, detections } = await w.process();
    const stored = async (source: string, event: ReturnType<typeof signIn>) => {
      const prepared = preparePage(OKTA_PAGE_FORMAT, source, JSON.stringify([event]));
      const r = await w.custody.custody.ingest(source, prepared, {
        nextUrl: `${source}:1`,
        highWaterMs: null,
      });
      await feed.stored(source, r.stored, r.treeSize - r.stored.length);
    };
    for (const source of ['acme', 'globex']) await feed.start(source);
    await stored('acme', signIn(T, HOME));
    await stored('globex', signIn(T + 60_000, HOSTILE));
    expect(detections.map((d) => d.ruleId)).not.toContain('vigil-session-reuse');
    // The same pair within one source is the replayed session.
    await stored('acme', signIn(T + 120_000, HOSTILE));
    expect(detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    await w.custody.close();
  });
});
