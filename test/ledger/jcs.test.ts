import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../../src/core/seeded-random.js';
import { canonicalize, canonicalizeParsed } from '../../src/ledger/jcs.js';
import { expectCode } from '../support/expect-code.js';

/** RFC 8785 written the plain way: the fast serializer must agree with it on every value. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(reference).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference((value as never)[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

/** Whole code points (a surrogate pair stays a pair), including everything JSON must escape. */
const ALPHABET = [...'abcAB_-09 "\\/\n\t\u0001\u007f\u00e9\u20ac\ufb33\ud83d\ude00<>'];
const text = (r: Random, length: number) => Array.from({ length }, () => r.pick(ALPHABET)).join('');

function randomValue(r: Random, depth: number): unknown {
  switch (r.int(0, depth > 3 ? 3 : 6)) {
    case 0:
      return text(r, r.int(0, 12));
    case 1:
      return r.chance(0.5) ? r.int(-1e6, 1e6) : (r.next() - 0.5) * 10 ** r.int(-30, 30);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
    case 5: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(0, 20); i > 0; i--) out[text(r, r.int(0, 6))] = randomValue(r, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: r.int(0, 5) }, () => randomValue(r, depth + 1));
  }
}

describe('canonicalize (fast path)', () => {
  it('agrees with a plain RFC 8785 serializer on 2,000 random values', () => {
    const r = createRandom(8785);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(r, 0);
      expect(canonicalize(value)).toBe(reference(value));
      // The parsed-text path, with and without escapes in the text, agrees too.
      const text = JSON.stringify(value);
      expect(canonicalizeParsed(text, JSON.parse(text))).toBe(reference(value));
    }
  });

  it('refuses a lone surrogate in a key or a nested value, and accepts an escaped "\\ud" text', () => {
    for (const bad of [{ ['\udc00']: 1 }, { a: [{ b: 'x\ud800' }] }]) {
      expectCode(() => canonicalize(bad), 'LEDGER_JCS_UNSUPPORTED_VALUE');
    }
    expect(canonicalize({ a: '\\ud800' })).toBe('{"a":"\\\\ud800"}');
  });
});
