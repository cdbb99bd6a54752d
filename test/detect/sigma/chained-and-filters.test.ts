import { describe, expect, it } from 'vitest';
import { parseSigmaRules, SigmaEngine } from '../../../src/detect/sigma/index.js';
import { expectCode } from '../../support/expect-code.js';
import { BASE, FAIL_ID, login, OK_ID, run } from './correlation-fixture.js';

describe('chained correlations', () => {
  const chain = `${BASE}---
title: Many failed logins
id: dddddddd-0000-4000-8000-000000000001
name: many_failed
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [actor.alternateId]
  timespan: 10m
  condition: {gte: 3}
---
title: Brute force then success
id: dddddddd-0000-4000-8000-000000000002
level: critical
correlation:
  type: temporal_ordered
  rules: [many_failed, good_login]
  group-by: [actor.alternateId]
  timespan: 10m
`;

  it('feeds one correlation into another (failed logins followed by a success)', () => {
    const e = new SigmaEngine(parseSigmaRules(chain, 'chain.yml'));
    const hits = run(e, [
      [0, login('a', 'FAILURE')],
      [1, login('a', 'FAILURE')],
      [2, login('b', 'SUCCESS')],
      [3, login('a', 'FAILURE')],
      [4, login('a', 'SUCCESS')],
    ]);
    expect(hits.map((h) => [h.rule.id, h.at])).toEqual([['dddddddd-0000-4000-8000-000000000002', 4]]);
    expect(hits[0]?.eventIds).toEqual(['e0', 'e1', 'e3', 'e4']);
    expect(hits[0]?.group).toEqual({ 'actor.alternateId': 'a' });
  });

  it('rejects correlations that reference each other in a cycle', () => {
    const cyclic = chain
      .replace('rules: [failed_login]', 'rules: [failed_login, brute]')
      .replace('level: critical', 'level: critical\nname: brute');
    expectCode(() => new SigmaEngine(parseSigmaRules(cyclic, 'cycle.yml')), 'SIGMA_INVALID_RULE');
  });
});

describe('filters', () => {
  it('a filter rule suppresses events matching its condition, only for the rules it names', () => {
    const filter = `---\ntitle: Trusted network\nid: cccccccc-0000-4000-8000-000000000001\nlogsource: {product: okta}\nfilter:\n  rules: [${FAIL_ID}]\n  trusted:\n    client.ipAddress|cidr: 10.0.0.0/8\n  condition: trusted\n`;
    const e = new SigmaEngine(parseSigmaRules(`${BASE}${filter}`, 'f.yml'));
    const ids = (ev: unknown): string[] => e.evaluate(ev, { timeMs: 0, id: 'x' }).map((h) => h.rule.id);
    expect(ids(login('a', 'FAILURE', '10.1.2.3'))).toEqual([]);
    expect(ids(login('a', 'FAILURE', '8.8.8.8'))).toEqual([FAIL_ID]);
    expect(ids(login('a', 'SUCCESS', '10.1.2.3'))).toEqual([OK_ID]);
  });
});
