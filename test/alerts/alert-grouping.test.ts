import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { groupAlerts } from '../../src/alerts/alert-grouping.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-10T00:00:00Z');

function alert(id: string, entity: string, atMin: number, extra: Partial<Alert> = {}): Alert {
  return {
    id,
    ruleId: `rule-${id}`,
    title: `title ${id}`,
    severity: 'medium',
    entity: { type: 'user', id: entity, display: `${entity}@example.com` },
    description: '',
    eventIds: [`ev-${id}`],
    dedupKey: id,
    source: 'okta',
    status: 'open',
    count: 1,
    firstSeenMs: T0 + atMin * MIN,
    lastSeenMs: T0 + atMin * MIN,
    createdMs: T0,
    transitions: [],
    reasons: [],
    heldBack: false,
    ...extra,
  };
}

const ids = (stories: ReturnType<typeof groupAlerts>) => stories.map((s) => s.alerts.map((a) => a.id));

describe('alert stories', () => {
  it('alerts about one entity within the window are one story; an hour and more apart, two', () => {
    const stories = groupAlerts([
      alert('a', 'u1', 0),
      alert('b', 'u1', 30),
      alert('c', 'u1', 95),
      alert('d', 'u2', 10),
    ]);
    expect(ids(stories).sort()).toEqual([['a', 'b'], ['c'], ['d']]);
    const ab = stories.find((s) => s.alerts.length === 2)!;
    expect(ab).toMatchObject({
      id: 'story-a',
      title: '2 alerts about u1@example.com',
      sharedKeys: ['entity:user:u1'],
    });
  });

  it('a shared actor, session or support case joins different entities, transitively, and the story takes the worst severity', () => {
    const keys: Record<string, string[]> = {
      a: ['actor:okta-system'],
      b: ['actor:okta-system', 'session:s1'],
      c: ['session:s1'],
      d: ['case:123'],
      e: ['case:123'],
    };
    const stories = groupAlerts(
      [
        alert('a', 'u1', 0),
        alert('b', 'u2', 5, { severity: 'critical' }),
        alert('c', 'u3', 10),
        alert('d', 'u4', 0),
        alert('e', 'u5', 50),
      ],
      { keysOf: (x) => keys[x.id] ?? [] },
    );
    expect(ids(stories).sort()).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(stories.find((s) => s.alerts.length === 3)!.severity).toBe('critical');
    expect(stories.find((s) => s.alerts.length === 2)!.title).toContain('one support case');
  });

  it("an incident's window joins every alert of its source inside it, however far apart; other sources and times stay apart", () => {
    const stories = groupAlerts(
      [
        alert('a', 'u1', 0),
        alert('b', 'u2', 300),
        alert('c', 'u3', 2000),
        alert('d', 'u4', 10, { source: 'other' }),
      ],
      { incidents: [{ id: 'inc-1', source: 'okta', fromMs: T0 - MIN, toMs: T0 + 600 * MIN }] },
    );
    expect(ids(stories).sort()).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(stories.find((s) => s.alerts.length === 2)!.title).toBe('2 alerts in inc-1');
  });

  it('a single alert is its own story with its own title', () => {
    expect(groupAlerts([alert('a', 'u1', 0)])).toMatchObject([
      { id: 'story-a', title: 'title a', sharedKeys: [] },
    ]);
  });
});
