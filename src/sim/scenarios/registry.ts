import { CROSS_TENANT_2023 } from './cross-tenant-2023.js';
import { HAR_2023 } from './har-2023.js';
import { IMPOSSIBLE_TRAVEL } from './impossible-travel.js';
import { LAPSUS_2022 } from './lapsus-2022.js';
import { MFA_FATIGUE } from './mfa-fatigue.js';
import { PASSWORD_SPRAY } from './password-spray.js';
import type { Scenario } from './scenario.js';

/** Every attack drill `vigil sim --scenario NAME` knows. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map<string, Scenario>(
  [LAPSUS_2022, HAR_2023, CROSS_TENANT_2023, MFA_FATIGUE, PASSWORD_SPRAY, IMPOSSIBLE_TRAVEL].map((s) => [
    s.name,
    s,
  ]),
);
