import type { Severity } from './detection-input.js';

/** Severities from least to most severe; routing compares positions in this list. */
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** Whether `severity` is at least `minimum` (a sink's `minSeverity`). */
export const meetsSeverity = (severity: Severity, minimum: Severity): boolean =>
  severityRank(severity) >= severityRank(minimum);

export const isSeverity = (value: string): value is Severity =>
  (SEVERITIES as readonly string[]).includes(value);
