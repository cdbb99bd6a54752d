import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { createRandom } from '../src/core/seeded-random.js';

describe('ManualClock', () => {
  it('moves only when told, and sleep advances it at once', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    await clock.sleep(1500);
    clock.advance(500);
    expect(new Date(clock.now()).toISOString()).toBe('2026-01-01T00:00:02.000Z');
  });
});

describe('createRandom', () => {
  it('replays the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws integers inside the inclusive range', () => {
    const random = createRandom('range');
    const values = Array.from({ length: 1000 }, () => random.int(3, 5));
    expect(new Set(values)).toEqual(new Set([3, 4, 5]));
  });
});
