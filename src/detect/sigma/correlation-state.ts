import { compileFieldGetter, type FieldGetter } from './field-lookup.js';
import type { CorrelationCondition, SigmaCorrelationRule } from './sigma-rule.js';

/**
 * Streaming state of one correlation rule (sigma-correlation-rules-specification): per group-by key,
 * the base-rule matches inside the sliding `timespan`. Conditions with a lower bound (gt, gte, eq, neq)
 * fire as soon as they hold, then the group starts afresh so one burst gives one hit. Upper-bound-only
 * conditions (lt, lte: "fewer than N in the window") can only be judged when the window closes, so
 * those use tumbling windows from the group's first match, closed by the first later event.
 */
interface Entry {
  readonly timeMs: number;
  /** One event's id, or every event behind a chained correlation's hit. */
  readonly ids: readonly string[];
  readonly ruleIndex: number;
  readonly value: string | undefined;
}

/** One open group of a correlation, as saved between runs. */
export interface SavedCorrelationGroup {
  readonly key: string;
  readonly group: Record<string, string>;
  readonly entries: readonly Entry[];
}

export interface CorrelationFire {
  readonly eventIds: string[];
  readonly group: Record<string, string>;
  readonly timeMs: number;
}

function holds(c: CorrelationCondition, n: number): boolean {
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq) &&
    (c.neq === undefined || n !== c.neq)
  );
}

const firstText = (values: unknown[]): string | undefined => {
  const v = values.find((x) => x !== undefined && x !== null);
  return v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
};

export class CorrelationState {
  private readonly groups = new Map<string, { group: Record<string, string>; entries: Entry[] }>();
  /** Per referenced rule: getters for each group-by field (aliases resolved) and the value field. */
  private readonly groupGetters: FieldGetter[][];
  private readonly valueGetters: (FieldGetter | undefined)[];
  private readonly closing: boolean;

  constructor(
    readonly rule: SigmaCorrelationRule,
    /** For each entry of rule.rules, the names it may be known by (id and name), for alias lookup. */
    refNames: readonly (readonly string[])[],
  ) {
    const fieldFor = (field: string, names: readonly string[]): string => {
      const alias = rule.aliases[field];
      if (!alias) return field;
      for (const n of names) if (alias[n] !== undefined) return alias[n] ?? field;
      return field;
    };
    this.groupGetters = refNames.map((names) =>
      rule.groupBy.map((g) => compileFieldGetter(fieldFor(g, names))),
    );
    const valueField = rule.condition?.field;
    this.valueGetters = refNames.map((names) =>
      valueField === undefined ? undefined : compileFieldGetter(fieldFor(valueField, names)),
    );
    const c = rule.condition;
    this.closing =
      c !== undefined &&
      (c.lt !== undefined || c.lte !== undefined) &&
      c.gt === undefined &&
      c.gte === undefined &&
      c.eq === undefined;
  }

  /** Feeds one event that matched the base rule at `ruleIndex`; returns fires due now. */
  add(event: unknown, ruleIndex: number, timeMs: number, ids: readonly string[]): CorrelationFire[] {
    const fires = this.closing ? this.closeDue(timeMs) : [];
    const getters = this.groupGetters[ruleIndex] ?? [];
    const group: Record<string, string> = {};
    this.rule.groupBy.forEach((g, i) => {
      group[g] = firstText(getters[i]?.(event) ?? []) ?? '';
    });
    const key = JSON.stringify(this.rule.groupBy.map((g) => group[g]));
    let state = this.groups.get(key);
    if (!state) {
      state = { group, entries: [] };
      this.groups.set(key, state);
    }
    const valueGetter = this.valueGetters[ruleIndex];
    const value = valueGetter ? firstText(valueGetter(event)) : undefined;
    state.entries.push({ timeMs, ids, ruleIndex, value });
    if (this.closing) return fires;
    const from = timeMs - this.rule.timespanMs;
    while ((state.entries[0]?.timeMs ?? Infinity) < from) state.entries.shift();
    if (this.satisfied(state.entries)) {
      fires.push({ eventIds: [...new Set(state.entries.flatMap((e) => e.ids))], group: state.group, timeMs });
      this.groups.delete(key);
    }
    return fires;
  }

  /**
   * The open groups a later event could still complete, as JSON, for a restart to `restore`; groups
   * whose every match is older than twice the window before `nowMs` can no longer fire and are dropped
   * here, from memory too (twice: events arrive in persistence order, a little out of time order).
   */
  save(nowMs: number): SavedCorrelationGroup[] {
    const out: SavedCorrelationGroup[] = [];
    for (const [key, state] of this.groups) {
      const newest = state.entries.at(-1)?.timeMs ?? -Infinity;
      if (!this.closing && newest < nowMs - 2 * this.rule.timespanMs) this.groups.delete(key);
      else out.push({ key, group: state.group, entries: state.entries });
    }
    return out;
  }

  restore(saved: readonly SavedCorrelationGroup[]): void {
    this.groups.clear();
    for (const g of saved) this.groups.set(g.key, { group: g.group, entries: [...g.entries] });
  }

  /** Closes tumbling windows (lt/lte conditions) that ended before `nowMs`. */
  closeDue(nowMs: number): CorrelationFire[] {
    if (!this.closing) return [];
    const fires: CorrelationFire[] = [];
    for (const [key, state] of this.groups) {
      const start = state.entries[0]?.timeMs ?? nowMs;
      const end = start + this.rule.timespanMs;
      if (end >= nowMs) continue;
      if (this.satisfied(state.entries))
        fires.push({
          eventIds: [...new Set(state.entries.flatMap((e) => e.ids))],
          group: state.group,
          timeMs: end,
        });
      this.groups.delete(key);
    }
    return fires;
  }

  private satisfied(entries: readonly Entry[]): boolean {
    const c = this.rule.condition;
    switch (this.rule.type) {
      case 'event_count':
        return c !== undefined && holds(c, entries.length);
      case 'value_count': {
        const distinct = new Set(entries.map((e) => e.value).filter((v) => v !== undefined));
        return c !== undefined && holds(c, distinct.size);
      }
      case 'value_sum':
      case 'value_avg':
      case 'value_median': {
        const nums = entries
          .map((e) => (e.value === undefined ? NaN : Number(e.value)))
          .filter((n) => Number.isFinite(n));
        const sum = nums.reduce((a, b) => a + b, 0);
        const sorted = [...nums].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        const median =
          sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
        const agg =
          this.rule.type === 'value_sum' ? sum : this.rule.type === 'value_avg' ? sum / nums.length : median;
        return c !== undefined && nums.length > 0 && holds(c, agg);
      }
      case 'temporal': {
        const distinct = new Set(entries.map((e) => e.ruleIndex)).size;
        return c === undefined ? distinct === this.rule.rules.length : holds(c, distinct);
      }
      case 'temporal_ordered': {
        // The referenced rules must match in the listed order inside the window.
        let next = 0;
        for (const e of entries) if (e.ruleIndex === next) next++;
        return c === undefined ? next === this.rule.rules.length : holds(c, next);
      }
    }
  }
}
