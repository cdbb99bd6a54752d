import { describe, expect, it } from 'vitest';
import { parseSigmaRules } from '../../../src/detect/sigma/index.js';
import { expectCode } from '../../support/expect-code.js';
import { engine, FAIL_ID, login, OK_ID, run } from './correlation-fixture.js';

describe('correlation rules (streaming, explicit times)', () => {
  it('event_count with group-by fires when the count within the timespan is reached', () => {
    const e = engine(
      `type: event_count\nrules: [failed_login]\ngroup-by: [actor.alternateId]\ntimespan: 1m\ncondition: {gte: 3}`,
    );
    const hits = run(e, [
      [0, login('a', 'FAILURE')],
      [10, login('b', 'FAILURE')],
      [20, login('a', 'FAILURE')],
      [70, login('a', 'FAILURE')], // the one at 0 fell out of the 60 s window: 2 in [10, 70]
      [75, login('a', 'FAILURE')],
      [101, login('b', 'FAILURE')],
    ]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      at: 75,
      group: { 'actor.alternateId': 'a' },
      eventIds: ['e2', 'e3', 'e4'],
      timeMs: 75_000,
    });
    expect(hits[0]?.rule.level).toBe('high');
  });

  it('base rules emit no hits of their own unless generate is true', () => {
    const quiet = engine(`type: event_count\nrules: [failed_login]\ntimespan: 1m\ncondition: {gte: 5}`);
    expect(quiet.evaluate(login('a', 'FAILURE'), { timeMs: 0, id: 'x' })).toEqual([]);
    expect(quiet.evaluate(login('a', 'SUCCESS'), { timeMs: 0, id: 'y' }).map((h) => h.rule.id)).toEqual([
      OK_ID,
    ]);
    const loud = engine(
      `type: event_count\nrules: [failed_login]\ntimespan: 1m\ngenerate: true\ncondition: {gte: 5}`,
    );
    expect(loud.evaluate(login('a', 'FAILURE'), { timeMs: 0, id: 'x' }).map((h) => h.rule.id)).toEqual([
      FAIL_ID,
    ]);
  });

  it('value_count counts distinct values of a field', () => {
    const e = engine(
      `type: value_count\nrules: [failed_login]\ngroup-by: [actor.alternateId]\ntimespan: 10m\ncondition: {gt: 2, field: client.ipAddress}`,
    );
    const hits = run(e, [
      [0, login('a', 'FAILURE', '1.1.1.1')],
      [1, login('a', 'FAILURE', '1.1.1.1')],
      [2, login('a', 'FAILURE', '2.2.2.2')],
      [3, login('a', 'FAILURE', '3.3.3.3')],
    ]);
    expect(hits.map((h) => h.at)).toEqual([3]);
  });

  it('temporal needs every rule within the timespan, in any order', () => {
    const e = engine(
      `type: temporal\nrules: [good_login, failed_login]\ngroup-by: [actor.alternateId]\ntimespan: 5m`,
    );
    expect(
      run(e, [
        [0, login('a', 'SUCCESS')],
        [400, login('a', 'FAILURE')],
      ]),
    ).toHaveLength(0);
    const hits = run(e, [
      [1000, login('a', 'FAILURE')],
      [1010, login('b', 'SUCCESS')],
      [1020, login('a', 'SUCCESS')],
    ]);
    expect(hits.map((h) => h.at)).toEqual([1020]);
  });

  it('temporal_ordered needs the listed order', () => {
    const e = engine(
      `type: temporal_ordered\nrules: [failed_login, good_login]\ngroup-by: [actor.alternateId]\ntimespan: 5m`,
    );
    expect(
      run(e, [
        [0, login('a', 'SUCCESS')],
        [10, login('a', 'FAILURE')],
      ]),
    ).toHaveLength(0);
    expect(run(e, [[20, login('a', 'SUCCESS')]]).map((h) => h.at)).toEqual([20]);
  });

  it('lt conditions are judged when the window closes', () => {
    const e = engine(
      `type: event_count\nrules: [good_login]\ngroup-by: [actor.alternateId]\ntimespan: 1m\ncondition: {lt: 2}`,
    );
    const hits = run(e, [
      [0, login('a', 'SUCCESS')],
      [5, login('b', 'SUCCESS')],
      [30, login('b', 'SUCCESS')],
      [120, login('c', 'FAILURE')], // closes both windows: a had 1 (<2, fires), b had 2
    ]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ group: { 'actor.alternateId': 'a' }, timeMs: 60_000 });
  });

  it('flush closes due windows without a later event', () => {
    const e = engine(`type: event_count\nrules: [good_login]\ntimespan: 1m\ncondition: {lte: 1}`);
    expect(run(e, [[0, login('a', 'SUCCESS')]])).toHaveLength(0);
    expect(e.flush(30_000)).toHaveLength(0);
    const hits = e.flush(61_000);
    expect(hits.map((h) => [h.kind, h.timeMs, h.eventIds])).toEqual([['correlation', 60_000, ['e0']]]);
  });

  it('range conditions (gte + lte) and eq, neq', () => {
    const range = engine(
      `type: event_count\nrules: [failed_login]\ntimespan: 1h\ncondition: {gte: 2, lte: 3}`,
    );
    expect(
      run(range, [
        [0, login('a', 'FAILURE')],
        [1, login('a', 'FAILURE')],
      ]).map((h) => h.at),
    ).toEqual([1]);
    const eq = engine(`type: event_count\nrules: [failed_login]\ntimespan: 1h\ncondition: {eq: 2}`);
    expect(
      run(eq, [
        [0, login('a', 'FAILURE')],
        [1, login('a', 'FAILURE')],
      ]).map((h) => h.at),
    ).toEqual([1]);
  });

  it('value_sum, value_avg and value_median aggregate a numeric field', () => {
    const ev = (n: number) => ({ ...login('a', 'FAILURE'), debugContext: { debugData: { risk: n } } });
    const field = 'field: debugContext.debugData.risk';
    const sum = engine(
      `type: value_sum\nrules: [failed_login]\ntimespan: 1h\ncondition: {gte: 10, ${field}}`,
    );
    expect(
      run(sum, [
        [0, ev(4)],
        [1, ev(5)],
        [2, ev(1)],
      ]).map((h) => h.at),
    ).toEqual([2]);
    const avg = engine(`type: value_avg\nrules: [failed_login]\ntimespan: 1h\ncondition: {gt: 5, ${field}}`);
    expect(
      run(avg, [
        [0, ev(4)],
        [1, ev(5)],
        [2, ev(9)],
      ]).map((h) => h.at),
    ).toEqual([2]);
    const median = engine(
      `type: value_median\nrules: [failed_login]\ntimespan: 1h\ncondition: {gte: 5, ${field}}`,
    );
    expect(
      run(median, [
        [0, ev(1)],
        [1, ev(9)],
        [2, ev(2)],
        [3, ev(8)],
      ]).map((h) => h.at),
    ).toEqual([1, 3]);
  });

  it('aliases map one group-by name onto different fields per rule', () => {
    const e = engine(
      `type: temporal\nrules: [failed_login, good_login]\ngroup-by: [who]\ntimespan: 1h\naliases:\n  who:\n    failed_login: actor.alternateId\n    good_login: client.ipAddress`,
    );
    const hits = run(e, [
      [0, login('x@y', 'FAILURE')],
      [1, login('z', 'SUCCESS', 'x@y')],
    ]);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.group).toEqual({ who: 'x@y' });
  });

  it('rejects a correlation that names an unknown rule', () => {
    expectCode(
      () => engine(`type: event_count\nrules: [nope]\ntimespan: 1m\ncondition: {gte: 1}`),
      'SIGMA_INVALID_RULE',
    );
    const badTimespan = expectCode(
      () =>
        parseSigmaRules(
          `title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: soon\n  condition: {gte: 1}\n`,
          'c.yml',
        ),
      'SIGMA_INVALID_RULE',
    );
    expect(badTimespan.details).toMatchObject({ line: 5 });
  });
});
