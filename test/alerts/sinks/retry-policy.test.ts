import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/core/seeded-random.js';
import { backoffDelayMs } from '../../../src/alerts/sinks/retry-policy.js';

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 8000 };

  it('doubles the ceiling per retry, jitters within its upper half, and stops at maxDelayMs', () => {
    const random = createRandom('backoff');
    for (let retry = 1; retry <= 8; retry++) {
      const ceiling = Math.min(8000, 1000 * 2 ** (retry - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelayMs(policy, retry, random);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('draws its jitter from the seeded generator', () => {
    const draws = (seed: number) => [1, 2, 3].map((r) => backoffDelayMs(policy, r, createRandom(seed)));
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5)).not.toEqual(draws(6));
  });
});
