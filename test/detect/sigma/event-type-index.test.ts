import { describe, expect, it } from 'vitest';
import { requiredEventTypes } from '../../../src/detect/sigma/event-type-index.js';
import { parseSigmaRules, SigmaEngine } from '../../../src/detect/sigma/index.js';
import type { SigmaDetectionRule } from '../../../src/detect/sigma/sigma-rule.js';

const rule = (detection: string) =>
  parseSigmaRules(
    `title: t\nid: 00000000-0000-4000-8000-000000000001\nlogsource: {product: okta}\nlevel: low\ndetection:\n${detection}`,
    'test.yml',
  )[0] as SigmaDetectionRule;
const types = (detection: string) => {
  const t = requiredEventTypes(rule(detection).detection);
  return t === undefined ? undefined : [...t].sort();
};

describe('the event types a rule can match', () => {
  it('reads plain eventType literals through and, or, 1 of and lists of maps', () => {
    expect(types('  sel:\n    eventType: A.b\n  condition: sel')).toEqual(['a.b']);
    expect(types('  sel:\n    eventtype: [x, y]\n    outcome.result: SUCCESS\n  condition: sel')).toEqual([
      'x',
      'y',
    ]);
    expect(types('  a:\n    eventType: x\n  b:\n    eventType: y\n  condition: a or b')).toEqual(['x', 'y']);
    expect(types('  a:\n    eventType: [x, y]\n  b:\n    eventType: [y, z]\n  condition: a and b')).toEqual([
      'y',
    ]);
    expect(types('  s1:\n    eventType: x\n  s2:\n    eventType: y\n  condition: 1 of s*')).toEqual([
      'x',
      'y',
    ]);
    expect(types('  sel:\n    - eventType: x\n    - eventType: y\n  condition: sel')).toEqual(['x', 'y']);
    expect(types('  sel:\n    eventType: x\n  f:\n    actor.id: u\n  condition: sel and not f')).toEqual([
      'x',
    ]);
  });

  it('leaves a rule open when the type is negated, modified, wildcarded or absent from a branch', () => {
    expect(types('  sel:\n    eventType: x\n  condition: not sel')).toBeUndefined();
    expect(types('  sel:\n    eventType|startswith: user.\n  condition: sel')).toBeUndefined();
    expect(types('  sel:\n    eventType: user.*\n  condition: sel')).toBeUndefined();
    expect(types('  a:\n    eventType: x\n  b:\n    actor.id: u\n  condition: a or b')).toBeUndefined();
    expect(types('  kw:\n    - evil\n  condition: kw')).toBeUndefined();
  });

  it('gives the engine the same hits as running every rule, whatever the event type’s case or shape', () => {
    const rules = parseSigmaRules(
      [
        'title: by type\nid: 00000000-0000-4000-8000-000000000002\nlogsource: {product: okta}\nlevel: low\ndetection:\n  sel:\n    eventType: user.session.start\n  condition: sel',
        'title: open\nid: 00000000-0000-4000-8000-000000000003\nlogsource: {product: okta}\nlevel: low\ndetection:\n  sel:\n    actor.id: u1\n  condition: sel',
      ].join('\n---\n'),
      'rules.yml',
    );
    const engine = new SigmaEngine(rules);
    const hits = (event: unknown) => engine.evaluate(event, { timeMs: 0, id: 'e' }).map((h) => h.rule.title);
    expect(hits({ eventType: 'user.session.start', actor: { id: 'u1' } })).toEqual(['by type', 'open']);
    expect(hits({ eventType: 'USER.SESSION.START' })).toEqual(['by type']);
    expect(hits({ eventtype: 'user.session.start' })).toEqual(['by type']);
    expect(hits({ eventType: ['other', 'user.session.start'] })).toEqual(['by type']);
    expect(hits({ eventType: 'other', actor: { id: 'u1' } })).toEqual(['open']);
    expect(hits({ actor: { id: 'u1' } })).toEqual(['open']);
  });
});
