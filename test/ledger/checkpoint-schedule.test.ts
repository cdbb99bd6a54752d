import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { checkpointDue } from '../../src/ledger/checkpoint-schedule.js';
import { MemoryHashStore } from '../../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../../src/ledger/merkle-hash.js';
import { readFrontier } from '../../src/ledger/read-frontier.js';
import { appendLeaves, frontierRoot } from '../../src/ledger/tree-frontier.js';

const policy = { everyEvents: 100, everyMs: 60_000, heartbeatMs: 900_000 };

describe('checkpoint schedule', () => {
  it('signs first, then on event count, on interval with growth, and on heartbeat without growth', () => {
    const clock = new ManualClock(1_700_000_000_000);
    expect(checkpointDue(undefined, 0, clock.now(), policy)).toBe('first');
    const last = { size: 50, signedAt: clock.now() };
    expect(checkpointDue(last, 149, clock.now(), policy)).toBeUndefined();
    expect(checkpointDue(last, 150, clock.now(), policy)).toBe('events');
    clock.advance(60_000);
    expect(checkpointDue(last, 50, clock.now(), policy)).toBeUndefined();
    expect(checkpointDue(last, 51, clock.now(), policy)).toBe('interval');
    clock.advance(840_000);
    expect(checkpointDue(last, 50, clock.now(), policy)).toBe('heartbeat');
  });
});

describe('readFrontier', () => {
  it('resumes appends from stored nodes with the same result as never stopping', async () => {
    const leaves = Array.from({ length: 77 }, (_, i) => hashLeaf(Buffer.from(String(i))));
    const store = new MemoryHashStore();
    store.append(leaves.slice(0, 45));
    const resumed = appendLeaves(await readFrontier(45, store), leaves.slice(45)).frontier;
    const straight = new MemoryHashStore();
    straight.append(leaves);
    expect(frontierRoot(resumed).equals(straight.root())).toBe(true);
    expect(await readFrontier(0, store)).toEqual({ size: 0, hashes: [] });
  });
});
