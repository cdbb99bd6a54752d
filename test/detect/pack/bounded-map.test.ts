import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/detect/pack/bounded-map.js';

describe('BoundedMap', () => {
  it('never holds more than max keys and evicts the oldest first', () => {
    const map = new BoundedMap<number, string>(20);
    for (let i = 0; i < 1000; i++) {
      map.set(i, `v${i}`);
      expect(map.size).toBeLessThanOrEqual(20);
      expect(map.get(i)).toBe(`v${i}`);
    }
    // Whatever it kept is the most recent keys, in order.
    const kept = [...map.keys()];
    expect(kept).toEqual(kept.map((_, k) => 1000 - kept.length + k));
    expect(kept.length).toBeGreaterThanOrEqual(18);
  });

  it('updates a present key without evicting anything', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3).set('a', 4);
    expect([...map.entries()]).toEqual([
      ['a', 4],
      ['b', 2],
      ['c', 3],
    ]);
  });
});
