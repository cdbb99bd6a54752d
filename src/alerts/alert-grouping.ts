import { maxSeverity, type Severity } from '../detect/severity.js';
import type { Alert } from './alert.js';

/**
 * Related alerts told as one story (issue 17): a support reset of nine users is one story, not nine
 * rows. Two alerts are in one story when they share a key — the entity they are about (the actor or
 * user), a session, a support case — and are within `windowMs` of each other, or when both fall
 * inside one incident's window. Stories are transitive: A–B by actor and B–C by session make A, B, C
 * one story.
 */
export interface AlertStory {
  /** `story-` and the id of its first alert: stable while the first alert stays first. */
  readonly id: string;
  readonly title: string;
  /** The most severe of its alerts. */
  readonly severity: Severity;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Oldest first. */
  readonly alerts: readonly Alert[];
  /** Why they are one story: the keys shared (`entity:user:00u1`, `session:idx…`, `case:1234`, `incident:inc-…`). */
  readonly sharedKeys: readonly string[];
}

export interface GroupingOptions {
  /** How far apart two alerts sharing a key may be and still be one story (default one hour). */
  readonly windowMs?: number;
  /** More keys of an alert beyond its entity: its events' sessions and support cases (alert-story-keys.ts). */
  readonly keysOf?: (alert: Alert) => readonly string[];
  /** Incidents: every alert of the source seen inside the window is in one story. */
  readonly incidents?: readonly {
    readonly id: string;
    readonly source: string;
    readonly fromMs: number;
    readonly toMs: number;
  }[];
}

export const DEFAULT_STORY_WINDOW_MS = 3_600_000;

/** Groups alerts into stories, newest story first (by last activity). */
export function groupAlerts(alerts: readonly Alert[], options: GroupingOptions = {}): AlertStory[] {
  const windowMs = options.windowMs ?? DEFAULT_STORY_WINDOW_MS;
  const ordered = [...alerts].sort((a, b) => a.firstSeenMs - b.firstSeenMs || (a.id < b.id ? -1 : 1));
  const parent = ordered.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const keysOfAlert = ordered.map((alert) => {
    const keys = new Set([
      `entity:${alert.entity.type}:${alert.entity.id}`,
      ...(options.keysOf?.(alert) ?? []),
    ]);
    for (const incident of options.incidents ?? [])
      if (
        (alert.source === undefined || alert.source === incident.source) &&
        alert.lastSeenMs >= incident.fromMs &&
        alert.firstSeenMs < incident.toMs
      )
        keys.add(`incident:${incident.id}`);
    return keys;
  });
  const byKey = new Map<string, number[]>();
  keysOfAlert.forEach((keys, i) => {
    for (const key of keys) {
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    }
  });
  const shared = new Map<number, Set<string>>();
  for (const [key, members] of byKey) {
    if (members.length < 2) continue;
    const always = key.startsWith('incident:');
    // Members are in first-seen order: join each to the previous one when close enough.
    let reach = ordered[members[0]!]!.lastSeenMs;
    for (let k = 1; k < members.length; k++) {
      const alert = ordered[members[k]!]!;
      if (always || alert.firstSeenMs - reach <= windowMs) {
        union(members[k - 1]!, members[k]!);
        for (const m of [members[k - 1]!, members[k]!])
          (shared.get(m) ?? shared.set(m, new Set()).get(m)!).add(key);
      }
      reach = Math.max(reach, alert.lastSeenMs);
    }
  }
  const groups = new Map<number, number[]>();
  ordered.forEach((_, i) => {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  });
  const stories = [...groups.values()].map((members) => {
    const list = members.map((i) => ordered[i]!);
    const keys = new Set(members.flatMap((i) => [...(shared.get(i) ?? [])]));
    return {
      id: `story-${list[0]!.id}`,
      title: storyTitle(list, keys),
      severity: list.map((a) => a.severity).reduce(maxSeverity),
      firstSeenMs: Math.min(...list.map((a) => a.firstSeenMs)),
      lastSeenMs: Math.max(...list.map((a) => a.lastSeenMs)),
      alerts: list,
      sharedKeys: [...keys].sort(),
    };
  });
  return stories.sort((a, b) => b.lastSeenMs - a.lastSeenMs || (a.id < b.id ? -1 : 1));
}

function storyTitle(alerts: readonly Alert[], keys: ReadonlySet<string>): string {
  if (alerts.length === 1) return alerts[0]!.title;
  const incident = [...keys].find((k) => k.startsWith('incident:'));
  if (incident) return `${alerts.length} alerts in ${incident.slice('incident:'.length)}`;
  const entities = new Set(alerts.map((a) => `${a.entity.type}:${a.entity.id}`));
  if (entities.size === 1) {
    const first = alerts[0]!;
    return `${alerts.length} alerts about ${first.entity.display ?? first.entity.id}`;
  }
  const rules = new Set(alerts.map((a) => a.ruleId));
  const how = [...keys].some((k) => k.startsWith('case:'))
    ? 'one support case'
    : [...keys].some((k) => k.startsWith('session:'))
      ? 'one session'
      : 'related entities';
  return `${alerts.length} alerts (${rules.size} rule${rules.size === 1 ? '' : 's'}) on ${entities.size} entities, ${how}`;
}
