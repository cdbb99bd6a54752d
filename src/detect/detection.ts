import type { DetectionInput, Severity } from '../alerts/detection-input.js';

/**
 * One finding of the detection pack: which rule, how bad, about whom, what a responder should do,
 * and the provider event ids that triggered it. Alerting consumes it as is.
 */
export type Detection = DetectionInput;
export type { Severity };

export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

export const asSeverity = (level: string): Severity =>
  (SEVERITIES as readonly string[]).includes(level) ? (level as Severity) : 'medium';
