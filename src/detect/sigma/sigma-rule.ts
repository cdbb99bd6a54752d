import type { Severity } from '../severity.js';

/**
 * Loaded, validated Sigma documents (Sigma 2.1.0, SigmaHQ/sigma-specification). Rules stay plain data;
 * `SigmaEngine` compiles them once into closures.
 */

/** Sigma's `level` values are exactly Vigil's severities, in the same order (detect/severity.ts). */
export type SigmaLevel = Severity;

export interface SigmaRuleInfo {
  /** The rule's `id`, or its `name`/`title` when the optional id is absent. */
  readonly id: string;
  readonly name?: string;
  readonly title: string;
  readonly level: string;
  readonly status?: string;
  readonly description?: string;
  readonly tags: string[];
  /** File the rule came from and 1-based line of its document start. */
  readonly source: string;
  readonly line: number;
}

/** A detection section: search identifiers plus one condition (a list of conditions means OR). */
export interface SigmaDetection {
  readonly identifiers: Readonly<Record<string, unknown>>;
  readonly conditions: readonly string[];
}

export interface SigmaDetectionRule extends SigmaRuleInfo {
  readonly kind: 'detection';
  readonly logsource: Readonly<Record<string, string>>;
  readonly detection: SigmaDetection;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_median';

export interface CorrelationCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  readonly neq?: number;
  /** The field for value_* types. */
  readonly field?: string;
}

export interface SigmaCorrelationRule extends SigmaRuleInfo {
  readonly kind: 'correlation';
  readonly type: CorrelationType;
  /** Referenced rule ids or names, in order (order matters for temporal_ordered). */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly condition?: CorrelationCondition;
  /** alias → (rule id/name → field). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly generate: boolean;
}

/** A Sigma filter (sigma-filters-specification): events matching its condition are dropped from the referenced rules. */
export interface SigmaFilterRule extends SigmaRuleInfo {
  readonly kind: 'filter';
  readonly logsource: Readonly<Record<string, string>>;
  readonly rules: readonly string[];
  readonly detection: SigmaDetection;
}

export type SigmaRule = SigmaDetectionRule | SigmaCorrelationRule | SigmaFilterRule;
