import { describe, expect, it } from 'vitest';
import { jsonArraySpans, splitPage } from '../../src/sources/okta/page-body.js';
import { providerExcerpt } from '../../src/sources/provider-excerpt.js';
import { rfc3339Ms } from '../../src/sources/rfc3339.js';
import { ambiguity, colonsOutsideStrings } from '../../src/sources/unambiguous-json.js';
import { expectCode } from '../support/expect-code.js';

const base = '"uuid":"u-1","published":"2026-03-10T12:00:00.000Z","eventType":"user.session.start"';
const ambiguous = (text: string) => ambiguity(text, JSON.parse(text));

describe('ambiguous JSON (issue 19)', () => {
  it('finds a duplicate key at any depth, and a number no double holds', () => {
    expect(ambiguous(`{${base},"a":{"b":1,"c":[{"d":1,"d":2}]}}`)).toMatch(/duplicate key/);
    expect(ambiguous(`{${base},"eventType":"x"}`)).toMatch(/duplicate key/);
    expect(ambiguous(`{${base},"n":1e400}`)).toMatch(/beyond the range/);
    expect(ambiguous(`{${base},"n":[-1E+309]}`)).toMatch(/beyond the range/);
  });

  it('is not fooled by colons, quotes and backslashes inside strings, or by keys that look alike', () => {
    expect(
      ambiguous(`{${base},"s":"a:b\\":c\\\\","t":"::","1":1,"01":2,"__proto__":{"x":1}}`),
    ).toBeUndefined();
    expect(ambiguous(`{${base},"n":1e308,"m":-0.0,"e":{},"a":[]}`)).toBeUndefined();
  });

  it('counts each event’s members in the page scan exactly as a scan of the event alone does', () => {
    const raws = [`{${base},"s":"a:{\\":[","o":{"k":[{"x":":"}]}}`, '{}', `{ ${base} , "n" : 1 }`];
    const members: number[] = [];
    const spans = jsonArraySpans(`[${raws.join(' ,\n')}]`, members);
    expect(spans).toHaveLength(6);
    expect(members).toEqual(raws.map(colonsOutsideStrings));
    expect(members).toEqual([7, 0, 4]);
  });

  it('quarantines such an event with SOURCE_AMBIGUOUS_JSON', () => {
    expectCode(() => splitPage(`[{${base},"uuid":"u-2"}]`), 'SOURCE_AMBIGUOUS_JSON');
    expectCode(() => splitPage(`[{${base},"n":1e400}]`), 'SOURCE_AMBIGUOUS_JSON');
  });
});

describe('RFC 3339 published times', () => {
  it('reads RFC 3339 date-times, offsets and fractions included', () => {
    expect(rfc3339Ms('2026-03-10T12:00:00Z')).toBe(Date.UTC(2026, 2, 10, 12));
    expect(rfc3339Ms('2026-03-10T12:00:00.123456789Z')).toBe(Date.UTC(2026, 2, 10, 12, 0, 0, 123));
    expect(rfc3339Ms('2026-03-10T14:30:00+02:30')).toBe(Date.UTC(2026, 2, 10, 12));
    expect(rfc3339Ms('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(rfc3339Ms('0099-01-01T00:00:00Z')).toBe(Date.parse('0099-01-01T00:00:00Z'));
  });

  it('refuses what Date.parse would guess at', () => {
    for (const text of [
      '1',
      '2026',
      'Tue, 10 Mar 2026 12:00:00 GMT',
      '2026-03-10 12:00:00Z',
      '2026-03-10T12:00:00',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-10T24:00:00Z',
      '2026-12-31T23:59:60Z',
      '2026-03-10T12:00:00+24:00',
      '+002026-03-10T12:00:00Z',
    ])
      expect(rfc3339Ms(text), text).toBeNaN();
  });
});

describe('provider text in messages', () => {
  it('redacts every secret, neutralizes control characters and shortens', () => {
    const out = providerExcerpt(`token t0k-s3cret here \u001b[2J and t0k-s3cret\u202e${'x'.repeat(500)}`, [
      't0k-s3cret',
    ]);
    expect(out).not.toContain('t0k-s3cret');
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u202e');
    expect(out.length).toBeLessThanOrEqual(161);
  });
});
