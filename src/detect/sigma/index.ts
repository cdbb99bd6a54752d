/** Public API of the Sigma engine (issue 5, "Sigma engine"). */
export { loadSigmaRules, parseSigmaRules, type LoadOptions } from './load-rules.js';
export { SigmaEngine, type SigmaHit } from './sigma-engine.js';
export type { SigmaErrorCode } from './errors.js';
export type { SigmaRule, SigmaDetectionRule, SigmaCorrelationRule, SigmaFilterRule } from './sigma-rule.js';
