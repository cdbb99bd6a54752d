import { VigilError } from '../../core/vigil-error.js';
import type { SigmaErrorCode } from './errors.js';
import { compileDetection } from './compile-detection.js';
import type { EventPredicate } from './compile-field.js';
import { CorrelationState, type CorrelationFire } from './correlation-state.js';
import type { SigmaCorrelationRule, SigmaDetectionRule, SigmaRule, SigmaRuleInfo } from './sigma-rule.js';

/**
 * Runs loaded Sigma rules over a stream of events. Every rule is compiled once, here, into closures;
 * `evaluate` only calls them. Filters (sigma-filters-specification) are ANDed onto the rules they name;
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

const invalid = (rule: SigmaRuleInfo, problem: string): VigilError<SigmaErrorCode> =>
  new VigilError<SigmaErrorCode>('SIGMA_INVALID_RULE', `${rule.source}:${rule.line}: ${problem}`, {
    category: 'input',
    details: { file: rule.source, line: rule.line, problem },
  });

export class SigmaEngine {
  private readonly detections: CompiledDetection[] = [];
  private readonly correlations: { info: SigmaHit['rule']; state: CorrelationState }[] = [];

  constructor(rules: readonly SigmaRule[]) {
    const byRef = new Map<string, { rule: SigmaDetectionRule; compiled: CompiledDetection }>();
    const filters = rules.filter((r) => r.kind === 'filter');
    for (const rule of rules) {
      if (rule.kind !== 'detection') continue;
      let match = compileDetection(rule.detection, ['detection']);
      for (const f of filters) {
        if (!f.rules.includes(rule.id) && !(rule.name !== undefined && f.rules.includes(rule.name))) continue;
        const base = match;
        const keep = compileDetection(f.detection, ['filter']);
        match = (e) => base(e) && keep(e);
      }
      const compiled: CompiledDetection = { info: infoOf(rule), match, emit: true, feeds: [] };
      this.detections.push(compiled);
      byRef.set(rule.id, { rule, compiled });
      if (rule.name !== undefined) byRef.set(rule.name, { rule, compiled });
    }
    const correlations = rules.filter((r): r is SigmaCorrelationRule => r.kind === 'correlation');
    const generating = new Set<CompiledDetection>();
    const referenced = new Set<CompiledDetection>();
    correlations.forEach((corr, ci) => {
      const refNames = corr.rules.map((ref, position) => {
        const target = byRef.get(ref);
        if (!target) {
          const isCorrelation = correlations.some((c) => c.id === ref || c.name === ref);
          throw invalid(
            corr,
            isCorrelation
              ? `chained correlation ${ref} is not supported`
              : `correlation references unknown rule ${ref}`,
          );
        }
        target.compiled.feeds.push([ci, position]);
        referenced.add(target.compiled);
        if (corr.generate) generating.add(target.compiled);
        return [target.rule.id, ...(target.rule.name === undefined ? [] : [target.rule.name])];
      });
      this.correlations.push({ info: infoOf(corr), state: new CorrelationState(corr, refNames) });
    });
    for (const d of referenced) d.emit = generating.has(d);
  }

  /** Streams one event; returns hits for detection rules that match and correlation rules that fire now. */
  evaluate(event: unknown, meta: { timeMs: number; id: string }): SigmaHit[] {
    const hits: SigmaHit[] = [];
    const fired = new Map<number, CorrelationFire[]>();
    for (const d of this.detections) {
      if (!d.match(event)) continue;
      if (d.emit) hits.push({ rule: d.info, eventIds: [meta.id], timeMs: meta.timeMs, kind: 'detection' });
      for (const [ci, position] of d.feeds) {
        const c = this.correlations[ci];
        if (!c) continue;
        const fires = c.state.add(event, position, meta.timeMs, meta.id);
        if (fires.length) fired.set(ci, [...(fired.get(ci) ?? []), ...fires]);
      }
    }
    this.correlations.forEach((c, ci) => {
      const due = fired.has(ci) ? [] : c.state.closeDue(meta.timeMs);
      for (const f of [...(fired.get(ci) ?? []), ...due])
        hits.push({
          rule: c.info,
          eventIds: f.eventIds,
          group: f.group,
          timeMs: f.timeMs,
          kind: 'correlation',
        });
    });
    return hits;
  }
}
