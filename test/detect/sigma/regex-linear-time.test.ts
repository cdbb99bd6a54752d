import { describe, expect, it } from 'vitest';
import { parseSigmaRules } from '../../../src/detect/sigma/index.js';
import { expectCode } from '../../support/expect-code.js';
import { matcher, ruleYaml } from './rule-fixture.js';

const m = (pattern: string): ((event: unknown) => boolean) =>
  matcher(`sel:\n  f|re: '${pattern}'\ncondition: sel`);

/**
 * The classic ReDoS patterns (OWASP "Regular expression Denial of Service"): a backtracking engine
 * takes exponential time on a near-miss input, here ~2^50000 steps; RE2 answers in one pass. The
 * tests assert the answer, never a time: with backtracking they would not finish.
 */
describe('Sigma |re runs in linear time', () => {
  const nearMiss = `${'a'.repeat(50_000)}!`;

  it.each([
    ['^(a+)+$', nearMiss, false],
    ['^(a|aa)+$', nearMiss, false],
    ['^(a|a?)+$', nearMiss, false],
    ['(.*a){20}', `${'a'.repeat(19)}${'b'.repeat(50_000)}`, false],
    ['^(a+)+$', 'a'.repeat(50_000), true],
    ['(.*a){20}', 'ba'.repeat(25_000), true],
  ])('%s on a long input', (pattern, input, expected) => {
    expect(m(pattern)({ f: input })).toBe(expected);
  });

  it('keeps RE2 semantics for flags and inline flags', () => {
    expect(m('(?i)^ab+c$')({ f: 'ABBC' })).toBe(true);
    expect(matcher("sel:\n  f|re|i|s: 'a.B'\ncondition: sel")({ f: 'A\nb' })).toBe(true);
  });

  it.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', 'a(?=b)'],
    ['a lookbehind', '(?<=a)b'],
  ])('refuses %s at load, naming the rule file and field', (_name, pattern) => {
    const text = ruleYaml(`sel:\n  user.agent|re: '${pattern}'\ncondition: sel`);
    const err = expectCode(() => parseSigmaRules(text, 'rules/redos.yml'), 'SIGMA_INVALID_RULE');
    expect(err.details.file).toBe('rules/redos.yml');
    expect(err.details.path).toEqual(['detection', 'sel', 'user.agent|re']);
    expect(err.message).toMatch(/^rules\/redos\.yml:\d+: regular expression .* linear-time \(RE2\) engine/);
  });
});
