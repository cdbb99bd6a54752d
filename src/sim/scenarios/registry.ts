import { HAR_2023 } from './har-2023.js';
import { LAPSUS_2022 } from './lapsus-2022.js';
import { PASSWORD_SPRAY } from './password-spray.js';
import type { Scenario } from './scenario.js';

/** Every attack drill `vigil sim --scenario NAME` knows. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map<string, Scenario>(
  [LAPSUS_2022, HAR_2023, PASSWORD_SPRAY].map((s) => [s.name, s]),
);
