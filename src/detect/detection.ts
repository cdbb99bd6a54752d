import type { DetectionInput } from '../alerts/detection-input.js';

/**
 * One finding of the detection pack: which rule, how bad, about whom, what a responder should do,
 * and the provider event ids that triggered it. Alerting consumes it as is.
 */
export type Detection = DetectionInput;
export { asSeverity, SEVERITIES, type Severity } from './severity.js';
