import { describe, expect, it } from 'vitest';
import { matcher } from './rule-fixture.js';

const SEARCHES = `sel_a:\n  a: 1\nsel_b:\n  b: 1\nfilter_c:\n  c: 1\n_hidden:\n  h: 1\n`;
const cond = (condition: string): ((event: unknown) => boolean) =>
  matcher(`${SEARCHES}condition: ${condition}`);

describe('condition grammar', () => {
  it('and / or / not with precedence or < and < not', () => {
    expect(cond('sel_a and sel_b')({ a: 1, b: 1 })).toBe(true);
    expect(cond('sel_a and sel_b')({ a: 1 })).toBe(false);
    expect(cond('sel_a or sel_b')({ b: 1 })).toBe(true);
    expect(cond('sel_a and not sel_b')({ a: 1, b: 1 })).toBe(false);
    // or binds looser than and: a or (b and c)
    expect(cond('sel_a or sel_b and filter_c')({ a: 1 })).toBe(true);
    expect(cond('sel_a or sel_b and filter_c')({ b: 1 })).toBe(false);
    expect(cond('not sel_a and sel_b')({ b: 1 })).toBe(true);
    expect(cond('NOT sel_a AND sel_b')({ b: 1 })).toBe(true);
  });
  it('parentheses', () => {
    expect(cond('(sel_a or sel_b) and filter_c')({ a: 1 })).toBe(false);
    expect(cond('(sel_a or sel_b) and filter_c')({ a: 1, c: 1 })).toBe(true);
    expect(cond('not (sel_a or sel_b)')({ c: 1 })).toBe(true);
  });
  it('1 of / all of / any of with patterns', () => {
    expect(cond('1 of sel_*')({ b: 1 })).toBe(true);
    expect(cond('all of sel_*')({ b: 1 })).toBe(false);
    expect(cond('all of sel_*')({ a: 1, b: 1 })).toBe(true);
    expect(cond('any of sel_*')({ a: 1 })).toBe(true);
    expect(cond('sel_a and not 1 of filter_*')({ a: 1, c: 1 })).toBe(false);
  });
  it('them excludes identifiers starting with _', () => {
    expect(cond('1 of them')({ h: 1 })).toBe(false);
    expect(cond('1 of them')({ c: 1 })).toBe(true);
    expect(cond('all of them')({ a: 1, b: 1, c: 1 })).toBe(true);
    expect(cond('_hidden')({ h: 1 })).toBe(true);
  });
  it('a list of conditions is OR', () => {
    const t = matcher(`${SEARCHES}condition:\n  - sel_a\n  - sel_b`);
    expect(t({ b: 1 })).toBe(true);
    expect(t({ c: 1 })).toBe(false);
  });
  it('a map is AND, a list of maps is OR', () => {
    const and = matcher(`sel:\n  a: 1\n  b: 1\ncondition: sel`);
    expect(and({ a: 1 })).toBe(false);
    expect(and({ a: 1, b: 1 })).toBe(true);
    const or = matcher(`sel:\n  - a: 1\n  - b: 1\ncondition: sel`);
    expect(or({ b: 1 })).toBe(true);
    expect(or({ c: 1 })).toBe(false);
  });
});
