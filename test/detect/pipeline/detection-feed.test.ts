import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { storedDetectionLog } from '../../../src/custody/stored-detection-log.js';
import type { Detection } from '../../../src/detect/detection.js';
import { DetectionFeed } from '../../../src/detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { preparePage } from '../../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../../src/sources/okta/okta-page-format.js';
import type { DetectionLog } from '../../../src/detect/pipeline/detection-log.js';
import type { OktaLogEvent } from '../../../src/sources/okta/log-event.js';
import { expectCode } from '../../support/expect-code.js';
import {
  ABROAD,
  HOME,
  HOSTILE,
  oktaEvent,
  oktaUser,
  signIn as signInFrom,
  T0 as T,
  userTarget,
  type Origin,
} from '../../support/okta-events.js';
import { openTestCustody } from '../../support/open-custody.js';
import { tempDir } from '../../support/temp-dir.js';

const signIn = (at: number, from: Origin) => signInFrom('ann', { at, from, session: 'idxStolen' });
const page = (...events: OktaLogEvent[]) => preparePage(OKTA_PAGE_FORMAT, 'okta', JSON.stringify(events));

/** The store's detection log, counting the stored events and state rows it hands out. */
function countingLog(log: DetectionLog) {
  const counted = { eventsRead: 0, stateRead: 0 };
  const wrapped: DetectionLog = {
    ...log,
    async *state(source) {
      for await (const row of log.state(source)) {
        counted.stateRead++;
        yield row;
      }
    },
    async *events(source, after, through) {
      for await (const e of log.events(source, after, through)) {
        counted.eventsRead++;
        yield e;
      }
    },
  };
  return Object.assign(counted, { log: wrapped });
}

/** A data directory, and a "process" on it: its own pipeline and feed, as `vigil collect` builds them. */
async function world() {
  const clock = new ManualClock(T + 3_600_000);
  const dir = tempDir('vigil-feed-');
  const custody = await openTestCustody(dir, clock);
  const process = async () => {
    const detections: Detection[] = [];
    const reads = countingLog(storedDetectionLog(custody.db, clock));
    const feed = new DetectionFeed({
      log: reads.log,
      pipeline: await DetectionPipeline.factory(),
      onDetection: (d) => {
        detections.push(d);
        return Promise.resolve();
      },
    });
    return { feed, detections, reads };
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
    expect(await first.feed.start('okta')).toEqual({ loaded: 0, warmedUp: 0, caughtUp: 0 });
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    // The page with the replayed session commits; the process dies before detection runs.
    await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);

    const second = await w.process();
    const started = await second.feed.start('okta');
    // The first sign-in's session comes back from saved state; only the undetected event is read.
    expect(started).toMatchObject({ warmedUp: 0, caughtUp: 1 });
    expect(started.loaded).toBeGreaterThan(0);
    expect(second.reads.eventsRead).toBe(1);
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

  it('keeps detector state across a restart from saved state, reading no stored event', async () => {
    const w = await world();
    const first = await w.process();
    await first.feed.start('okta');
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    expect(first.detections).toHaveLength(0);

    // A new process (collect --once from cron): the session's first use is only in the store.
    const second = await w.process();
    expect(await second.feed.start('okta')).toEqual({ loaded: 0, warmedUp: 0, caughtUp: 0 });
    // Nothing new: neither history nor the saved state is read.
    expect(second.reads).toMatchObject({ eventsRead: 0, stateRead: 0 });
    const b = await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);
    await second.feed.stored('okta', b.stored, b.firstLeaf);
    expect(second.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    expect(second.detections.every((d) => d.eventIds.includes(b.stored[0]!.uuid))).toBe(true);
    expect(second.reads.stateRead).toBeGreaterThan(0);
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

describe('detector state saved with the mark', () => {
  const as = (name: string) => ({ actor: oktaUser(name), target: [userTarget(name)], from: HOSTILE });
  /** Restarts between every step: each event is collected by a process of its own. */
  async function stepByStep(events: OktaLogEvent[]) {
    const w = await world();
    const detections: Detection[] = [];
    let eventsRead = 0;
    for (const [n, event] of events.entries()) {
      const p = await w.process();
      await p.feed.start('okta');
      const r = await ingest(w, page(event), n + 1);
      await p.feed.stored('okta', r.stored, r.firstLeaf);
      detections.push(...p.detections);
      eventsRead += p.reads.eventsRead;
    }
    return { w, detections, eventsRead };
  }

  it('detects the MFA reset chain with a restart between each of its steps', async () => {
    const { w, detections, eventsRead } = await stepByStep([
      oktaEvent({ eventType: 'user.mfa.factor.reset_all', at: T, ...as('ann'), actor: oktaUser('helpdesk') }),
      oktaEvent({ eventType: 'user.mfa.factor.activate', at: T + 60_000, ...as('ann') }),
      oktaEvent({ eventType: 'system.api_token.create', at: T + 120_000, ...as('ann') }),
    ]);
    expect(detections.map((d) => d.ruleId)).toContain('vigil-mfa-reset-chain');
    expect(eventsRead).toBe(0);
    await w.custody.close();
  });

  it('detects impossible travel with a restart between the two sign-ins', async () => {
    const { w, detections, eventsRead } = await stepByStep([
      signInFrom('bob', { at: T, from: HOME, session: 'idxBobHome' }),
      signInFrom('bob', { at: T + 20 * 60_000, from: ABROAD, session: 'idxBobAbroad' }),
    ]);
    expect(detections.map((d) => d.ruleId)).toContain('vigil-impossible-travel');
    expect(eventsRead).toBe(0);
    await w.custody.close();
  });

  it('keeps a Sigma correlation window open across restarts (push fatigue, five pushes in ten minutes)', async () => {
    const push = (i: number) =>
      oktaEvent({
        eventType: 'system.push.send_factor_verify_push',
        at: T + i * 60_000,
        actor: oktaUser('cat'),
      });
    const { w, detections } = await stepByStep([0, 1, 2, 3, 4].map(push));
    const fatigue = detections.filter(
      (d) => d.ruleId === detections.find((x) => x.title === 'MFA push fatigue')?.ruleId,
    );
    expect(fatigue).toHaveLength(1);
    expect(fatigue[0]!.entity.id).toBe('00ucat');
    await w.custody.close();
  });

  it('drops state too old to matter from the store, so it stays bounded by the windows', async () => {
    const w = await world();
    const p = await w.process();
    await p.feed.start('okta');
    const a = await ingest(w, page(signInFrom('dan', { at: T, from: HOME, session: 'idxDan1' })), 1);
    await p.feed.stored('okta', a.stored, a.firstLeaf);
    const parts = async () =>
      (
        await w.custody.db.selectFrom('detector_state').select('part').where('source', '=', 'okta').execute()
      ).map((r) => r.part);
    expect(await parts()).toContain('vigil-impossible-travel.last');
    // Two days later: the first fix can no longer make any trip impossible, and is gone from the store.
    const b = await ingest(w, page(oktaEvent({ eventType: 'user.account.lock', at: T + 2 * 86_400_000 })), 2);
    await p.feed.stored('okta', b.stored, b.firstLeaf);
    expect(await parts()).not.toContain('vigil-impossible-travel.last');
    await w.custody.close();
  });

  it('rebuilds state once by replay on a store whose mark predates saved state, then never again', async () => {
    const w = await world();
    const first = await w.process();
    await first.feed.start('okta');
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    // As a store detected by a version that kept no state leaves it.
    await w.custody.db.deleteFrom('detector_state').execute();
    await w.custody.db.updateTable('detection_cursors').set({ state_saved: 0 }).execute();

    const second = await w.process();
    expect(await second.feed.start('okta')).toMatchObject({ warmedUp: 1, caughtUp: 0 });
    const third = await w.process();
    expect(await third.feed.start('okta')).toMatchObject({ warmedUp: 0, caughtUp: 0 });
    expect(third.reads.eventsRead).toBe(0);
    const b = await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);
    await third.feed.stored('okta', b.stored, b.firstLeaf);
    expect(third.detections.map((d) => d.ruleId)).toContain('vigil-session-reuse');
    await w.custody.close();
  });

  it('refuses saved state it cannot read with a coded error naming the part', async () => {
    const w = await world();
    const first = await w.process();
    await first.feed.start('okta');
    const a = await ingest(w, page(signIn(T, HOME)), 1);
    await first.feed.stored('okta', a.stored, a.firstLeaf);
    await w.custody.db.updateTable('detector_state').set({ json: '{not json' }).execute();
    const second = await w.process();
    await second.feed.start('okta');
    // Read when first needed: the next event's detection refuses, and the mark stays where it was.
    const b = await ingest(w, page(signIn(T + 60_000, HOSTILE)), 2);
    const error = await expectCode(
      second.feed.stored('okta', b.stored, b.firstLeaf),
      'DETECT_STATE_UNREADABLE',
    );
    expect(error.message).toContain('detection state of okta');
    expect(await storedDetectionLog(w.custody.db, new ManualClock(T)).mark('okta')).toMatchObject({
      leaf: 0,
    });
    await w.custody.close();
  });
});
