import { VigilError } from '../../core/vigil-error.js';
import { unplacedRuleProblem, type SigmaErrorCode } from './errors.js';
import { compileDetection } from './compile-detection.js';
import type { EventPredicate } from './compile-field.js';
import { CorrelationState, type CorrelationFire, type SavedCorrelationGroup } from './correlation-state.js';
import { EventTypeIndex, requiredEventTypes, type EventTypes } from './event-type-index.js';
import type {
  SigmaCorrelationRule,
  SigmaDetection,
  SigmaDetectionRule,
  SigmaRule,
  SigmaRuleInfo,
} from './sigma-rule.js';

/**
 * Runs loaded Sigma rules over a stream of events. Every rule is compiled once, here, into closures;
 * `evaluate` only calls them. Filters (sigma-filters-specification) suppress matches of the rules they name;
 * correlations (sigma-correlation-rules-specification) see base-rule matches in the order given.
 */
export interface SigmaHit {
  rule: { id: string; title: string; level: string; description?: string; tags: string[] };
  eventIds: string[];
  group?: Record<string, string>;
  timeMs: number;
  kind: 'detection' | 'correlation';
}

interface CompiledDetection {
  readonly info: SigmaHit['rule'];
  readonly match: EventPredicate;
  /** Spec: base rules of a correlation emit no hits of their own unless a correlation says `generate: true`. */
  emit: boolean;
  /** (correlation index, position in its rules list) pairs this rule feeds. */
  readonly feeds: [number, number][];
}

const infoOf = (r: SigmaRuleInfo): SigmaHit['rule'] => ({
  id: r.id,
  title: r.title,
  level: r.level,
  ...(r.description === undefined ? {} : { description: r.description }),
  tags: [...r.tags],
});

const invalid = (
  rule: SigmaRuleInfo,
  problem: string,
  code: SigmaErrorCode = 'SIGMA_INVALID_RULE',
): VigilError<SigmaErrorCode> =>
  new VigilError<SigmaErrorCode>(code, `${rule.source}:${rule.line}: ${problem}`, {
    category: 'input',
    details: { file: rule.source, line: rule.line, problem },
  });

/**
 * Rules from the loader compiled there already; one built another way may not compile, and its
 * problem then names the rule's file and document line (the engine has no YAML to find the node's).
 */
function compileIn(rule: SigmaRuleInfo, detection: SigmaDetection, section: string): EventPredicate {
  try {
    return compileDetection(detection, [section]);
  } catch (e) {
    const found = unplacedRuleProblem(e);
    if (!found) throw e;
    throw invalid(rule, found.error.message, found.error.code);
  }
}

interface CompiledCorrelation {
  readonly info: SigmaHit['rule'];
  readonly state: CorrelationState;
  emit: boolean;
  /** Chained correlations (sigma-correlation-rules-specification §Related rules) fed by this one. */
  readonly feeds: [number, number][];
}

export class SigmaEngine {
  private readonly detections: CompiledDetection[] = [];
  private readonly correlations: CompiledCorrelation[] = [];
  /** Which rules can match an event of a given type (most name their types): only those run. */
  private readonly index: EventTypeIndex<CompiledDetection>;

  constructor(rules: readonly SigmaRule[]) {
    const types: EventTypes[] = [];
    const byRef = new Map<string, { rule: SigmaDetectionRule; compiled: CompiledDetection }>();
    const filters = rules.filter((r) => r.kind === 'filter');
    for (const rule of rules) {
      if (rule.kind !== 'detection') continue;
      let match = compileIn(rule, rule.detection, 'detection');
      for (const f of filters) {
        if (!f.rules.includes(rule.id) && !(rule.name !== undefined && f.rules.includes(rule.name))) continue;
        const base = match;
        // sigma-filters-specification: the filter's condition names the events to suppress
        // (its example: `condition: selection` with `User|startswith: 'adm_'`).
        const suppress = compileIn(f, f.detection, 'filter');
        match = (e) => base(e) && !suppress(e);
      }
      const compiled: CompiledDetection = { info: infoOf(rule), match, emit: true, feeds: [] };
      this.detections.push(compiled);
      types.push(requiredEventTypes(rule.detection));
      byRef.set(rule.id, { rule, compiled });
      if (rule.name !== undefined) byRef.set(rule.name, { rule, compiled });
    }
    const correlations = rules.filter((r): r is SigmaCorrelationRule => r.kind === 'correlation');
    const corrIndex = new Map<string, number>();
    correlations.forEach((c, i) => {
      corrIndex.set(c.id, i);
      if (c.name !== undefined) corrIndex.set(c.name, i);
    });
    rejectCycles(correlations, corrIndex);
    const refNames = correlations.map((corr) =>
      corr.rules.map((ref) => {
        const target = byRef.get(ref)?.rule ?? correlations[corrIndex.get(ref) ?? -1];
        if (!target) throw invalid(corr, `correlation references unknown rule ${ref}`);
        return [target.id, ...(target.name === undefined ? [] : [target.name])];
      }),
    );
    correlations.forEach((corr, ci) => {
      this.correlations.push({
        info: infoOf(corr),
        state: new CorrelationState(corr, refNames[ci] ?? []),
        emit: true,
        feeds: [],
      });
    });
    // Spec §Generate: referenced rules produce no stand-alone hits unless a correlation sets generate.
    const generating = new Set<object>();
    const referenced = new Set<CompiledDetection | CompiledCorrelation>();
    correlations.forEach((corr, ci) => {
      corr.rules.forEach((ref, position) => {
        const target = byRef.get(ref)?.compiled ?? this.correlations[corrIndex.get(ref) ?? -1];
        if (!target) return;
        target.feeds.push([ci, position]);
        referenced.add(target);
        if (corr.generate) generating.add(target);
      });
    });
    for (const t of referenced) t.emit = generating.has(t);
    this.index = new EventTypeIndex(this.detections.map((rule, i) => ({ rule, types: types[i] })));
  }

  /** The correlations' open groups by rule id, as JSON (see CorrelationState.save). */
  saveState(nowMs: number): Record<string, SavedCorrelationGroup[]> {
    const out: Record<string, SavedCorrelationGroup[]> = {};
    for (const c of this.correlations) {
      const groups = c.state.save(nowMs);
      if (groups.length > 0) out[c.info.id] = groups;
    }
    return out;
  }

  /** Restores what `saveState` returned; rules no longer loaded are ignored. */
  restoreState(saved: Readonly<Record<string, readonly SavedCorrelationGroup[]>>): void {
    for (const c of this.correlations) c.state.restore(saved[c.info.id] ?? []);
  }

  /**
   * Closes every correlation window that ends before `timeMs` without waiting for a later event, e.g.
   * at the end of a batch (only `lt`/`lte` correlations wait for their window to close).
   */
  flush(timeMs: number): SigmaHit[] {
    return this.run(timeMs, () => undefined);
  }

  /** Streams one event; returns hits for detection rules that match and correlation rules that fire now. */
  evaluate(event: unknown, meta: { timeMs: number; id: string }): SigmaHit[] {
    return this.run(meta.timeMs, (hits, feed) => {
      for (const d of this.index.candidates(event)) {
        if (!d.match(event)) continue;
        if (d.emit) hits.push({ rule: d.info, eventIds: [meta.id], timeMs: meta.timeMs, kind: 'detection' });
        for (const [ci, position] of d.feeds) feed(ci, event, position, meta.timeMs, [meta.id]);
      }
    });
  }

  private run(
    nowMs: number,
    step: (
      hits: SigmaHit[],
      feed: (ci: number, ev: unknown, position: number, timeMs: number, ids: readonly string[]) => void,
    ) => void,
  ): SigmaHit[] {
    const hits: SigmaHit[] = [];
    const touched = new Set<number>();
    const fire = (ci: number, f: CorrelationFire): void => {
      const c = this.correlations[ci];
      if (!c) return;
      if (c.emit)
        hits.push({
          rule: c.info,
          eventIds: f.eventIds,
          group: f.group,
          timeMs: f.timeMs,
          kind: 'correlation',
        });
      // A chained correlation sees the hit as one event carrying the group-by values.
      for (const [pi, position] of c.feeds) feed(pi, f.group, position, f.timeMs, f.eventIds);
    };
    const feed = (
      ci: number,
      ev: unknown,
      position: number,
      timeMs: number,
      ids: readonly string[],
    ): void => {
      const c = this.correlations[ci];
      if (!c) return;
      touched.add(ci);
      for (const f of c.state.add(ev, position, timeMs, ids)) fire(ci, f);
    };
    step(hits, feed);
    this.correlations.forEach((c, ci) => {
      if (!touched.has(ci)) for (const f of c.state.closeDue(nowMs)) fire(ci, f);
    });
    return hits;
  }
}

function rejectCycles(
  correlations: readonly SigmaCorrelationRule[],
  index: ReadonlyMap<string, number>,
): void {
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number): void => {
    if (state.get(i) === 'done') return;
    const corr = correlations[i];
    if (!corr) return;
    if (state.get(i) === 'visiting') throw invalid(corr, 'correlation rules reference each other in a cycle');
    state.set(i, 'visiting');
    for (const ref of corr.rules) {
      const j = index.get(ref);
      if (j !== undefined) visit(j);
    }
    state.set(i, 'done');
  };
  correlations.forEach((_, i) => visit(i));
}
