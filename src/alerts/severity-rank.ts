/**
 * The severity order belongs to the detection layer (src/detect/severity.ts); alerting ranks and
 * filters with the same functions. Import them from there; this re-export keeps older imports working.
 */
export { isSeverity, meetsSeverity, severityRank, SEVERITIES } from '../detect/severity.js';
