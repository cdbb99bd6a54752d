import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createRandom } from '../../../src/core/seeded-random.js';
import { openCustody } from '../../../src/custody/open-custody.js';
import type { Detection } from '../../../src/detect/detection.js';
import { DetectionFeed } from '../../../src/detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { EventFactory, type SimOrigin } from '../../../src/sim/events/event-factory.js';
import { HOSTILE_NETWORKS } from '../../../src/sim/org/places.js';
import { buildSimOrg } from '../../../src/sim/org/sim-org.js';
import { preparePage } from '../../../src/custody/prepared-page.js';

const random = createRandom('detection-feed');
const org = buildSimOrg(random, 5);
const f = new EventFactory(org, random);
const user = org.users[1]!;
const T = Date.parse('2026-03-10T09:00:00Z');
const home: SimOrigin = { place: user.home, ip: user.ips[0]!, device: user.devices[0]! };
const hostile: SimOrigin = {
  place: HOSTILE_NETWORKS[1]!,
  ip: '185.156.1.1',
  device: { ...user.devices[0]!, rawUserAgent: 'curl/8', browser: 'UNKNOWN' },
};
const signIn = (at: number, origin: SimOrigin) =>
  f.build({
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    published: at,
    actor: f.userActor(user),
    origin,
    sessionId: 'idxStolen',
  });
const page = (...events: ReturnType<typeof signIn>[]) => preparePage('okta', JSON.stringify(events));

/** A data directory, and a "process" on it: its own pipeline and feed, as `vigil collect` builds them. */
async function world() {
  const clock = new ManualClock(T + 3_600_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-feed-'));
  const custody = await openCustody(dir, clock);
  const process = async () => {
    const detections: Detection[] = [];
    const feed = new DetectionFeed({
      db: custody.db,
      pipeline: await DetectionPipeline.create(),
      clock,
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
  const r = await w.custody.store.ingest('okta', events, { nextUrl: `page:${n}`, highWaterMs: null });
  return { stored: r.stored, firstLeaf: r.treeSize - r.stored.length };
};

describe('detection over the store, across restarts', () => {
  it('detects on restart what a crash left stored but undetected', async () => {
    const w = await world();
    const first = await w.process();
    expect(await first.feed.start('okta')).toEqual({ warmedUp: 0, caughtUp: 0 });
    const a = await ingest(w, page(signIn(T, home)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    // The page with the replayed session commits; the process dies before detection runs.
    await ingest(w, page(signIn(T + 60_000, hostile)), 2);

    const second = await w.process();
    const started = await second.feed.start('okta');
    expect(started).toEqual({ warmedUp: 1, caughtUp: 1 });
    expect(second.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    // The mark moved: a third process detects nothing again.
    const third = await w.process();
    expect((await third.feed.start('okta')).caughtUp).toBe(0);
    await w.custody.close();
  });

  it('keeps detector state across a restart by replaying recent history silently', async () => {
    const w = await world();
    const first = await w.process();
    await first.feed.start('okta');
    const a = await ingest(w, page(signIn(T, home)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    expect(first.detections).toHaveLength(0);

    // A new process (collect --once from cron): the session's first use is only in the store.
    const second = await w.process();
    await second.feed.start('okta');
    const b = await ingest(w, page(signIn(T + 60_000, hostile)), 2);
    await second.feed.stored('okta', b.stored, b.firstLeaf);
    expect(second.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    // Warm-up raised nothing for the history it replayed.
    expect(second.detections.every((d) => d.eventIds.includes(b.stored[0]!.uuid))).toBe(true);
    await w.custody.close();
  });
});
