/**
 * Deterministic randomness: the simulator, jitter and tests draw from a seeded generator so the
 * same seed replays the same world. sfc32 seeded through splitmix32 (both public-domain designs):
 * fast, 128-bit state, good enough statistics for traffic generation (not for secrets).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Standard normal variate (Box–Muller). */
  normal(): number;
  /** Exponential variate with the given mean. */
  exponential(mean: number): number;
  /** An independent generator derived from this one and a label, so sub-streams stay stable. */
  fork(label: string): Random;
  /** Lower-case hex string of `length` characters. */
  hex(length: number): string;
  /** String of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string;
}

const splitmix32 = (seed: number) => () => {
  seed = (seed + 0x9e3779b9) | 0;
  let z = seed;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
};

const hashLabel = (seed: number, label: string): number => {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

export function createRandom(seed: number | string): Random {
  const numericSeed = typeof seed === 'number' ? seed >>> 0 : hashLabel(0, seed);
  const init = splitmix32(numericSeed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new TypeError('pick() from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new TypeError('weighted() from an empty list');
      return last[0];
    },
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    fork: (label) => createRandom(hashLabel(Math.floor(next() * 2 ** 32), label)),
    hex: (length) => random.chars(length, '0123456789abcdef'),
    chars: (length, alphabet) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
  return random;
}
