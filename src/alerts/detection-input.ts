import type { Detection } from '../detect/detection.js';

/** What alerting takes in: a detection of the pack, with the source it came from. */
export type DetectionInput = Detection;
export type { Severity } from '../detect/severity.js';
