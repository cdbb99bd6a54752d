import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createPagePreparer, inlinePreparer } from '../../src/custody/page-preparer.js';
import { ALL_FAULTS } from '../../src/sim/faults.js';
import { compiledWorker } from '../support/compiled-worker.js';
import { collectorWorld } from './collector-harness.js';

let world: Awaited<ReturnType<typeof collectorWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('collector completeness', () => {
  it('stores exactly the simulator ground truth with no faults', async () => {
    world = await collectorWorld();
    const progress = await world.collector().collectUntilCaughtUp();
    expect(sorted(await world.storedIds())).toEqual(sorted(world.simulator.truth().map((e) => e.uuid)));
    expect(progress.recovered).toBe(0);
  });

  it.each([
    ['on this thread', false],
    ['with pages prepared on worker threads', true],
  ])('stores exactly the ground truth with every fault the simulator injects, %s', async (_how, workers) => {
    world = await collectorWorld({ users: 60, faults: { ...ALL_FAULTS, slowMs: 300 } });
    // The compiled worker (built by the globalSetup): a missing one fails here, naming the file.
    const preparer = workers
      ? createPagePreparer({
          workers: 2,
          script: compiledWorker('custody', 'prepare-page-worker.js'),
          // Every page on the threads, however small (by default small pages stay on this thread).
          inlineBelowChars: 0,
        })
      : undefined;
    onTestFinished(() => preparer?.close());
    // A worker pool, never the calling-thread fallback (which would pass this test without threads).
    if (preparer)
      expect(preparer, 'createPagePreparer fell back to the calling thread').not.toBe(inlinePreparer);
    const options = {
      requestTimeoutMs: 150,
      maxAttempts: 30,
      pageLimit: 20,
      ...(preparer ? { preparer } : {}),
    };
    const progress = await world.collector(options).collectUntilCaughtUp();
    // Late events keep arriving as the clock moves: collect again once they are all committed.
    world.clock.advance(10 * 60_000);
    await world.collector(options).collectUntilCaughtUp();
    const stored = await world.storedIds();
    expect(new Set(stored).size).toBe(stored.length);
    expect(sorted(stored)).toEqual(sorted(world.simulator.truth().map((e) => e.uuid)));
    expect(progress.retries).toBeGreaterThan(0);
    expect(progress.quarantined).toBeGreaterThan(0);
    expect(progress.duplicates).toBeGreaterThan(0);
  });

  it('recovers through the overlap re-read what polling skipped near its head', async () => {
    world = await collectorWorld({
      users: 60,
      faults: { pollingSkipRate: 0.5, pollingSkipWindowMs: 10 * 60_000 },
    });
    const first = await world.collector().collectUntilCaughtUp();
    expect(first.recovered).toBeGreaterThan(0);
    // Anything skipped in the 20 s before now (the re-read's `until`) is recovered on the next run.
    world.clock.advance(60_000);
    await world.collector().collectUntilCaughtUp();
    const stored = await world.storedIds();
    expect(new Set(stored).size).toBe(stored.length);
    expect(sorted(stored)).toEqual(sorted(world.simulator.truth().map((e) => e.uuid)));
  });

  it('restarts from its stored cursor without re-reading from since', async () => {
    world = await collectorWorld();
    await world.collector().collectUntilCaughtUp();
    const before = world.simulator.requestLog().length;
    const again = await world.collector().collectUntilCaughtUp();
    expect(again.stored).toBe(0);
    const paths = world.simulator
      .requestLog()
      .slice(before)
      .map((r) => r.path);
    expect(paths[0]).toContain('after=');
    expect(paths[0]).not.toContain('since=');
  });

  it('keeps to half the rate-limit budget per minute', async () => {
    world = await collectorWorld({ rateLimitPerMinute: 10, users: 40 });
    await world.collector({ pageLimit: 20 }).collectUntilCaughtUp();
    const perMinute = new Map<number, number>();
    for (const r of world.simulator.requestLog())
      perMinute.set(Math.floor(r.at / 60_000), (perMinute.get(Math.floor(r.at / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(5);
    expect(world.simulator.requestLog().every((r) => r.status !== 429)).toBe(true);
    expect(perMinute.size).toBeGreaterThan(2);
  });
});
