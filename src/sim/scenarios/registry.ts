import type { Scenario } from './scenario.js';

/** Every attack drill `vigil sim --scenario NAME` knows. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map<string, Scenario>([]);
