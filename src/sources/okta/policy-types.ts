/**
 * Every policy type Okta's `GET /api/v1/policies` takes; `type` is required there (okta-api.md §6).
 * The configuration reader asks for each, and the simulator serves exactly these.
 */
export const POLICY_TYPES = [
  'OKTA_SIGN_ON',
  'PASSWORD',
  'MFA_ENROLL',
  'IDP_DISCOVERY',
  'ACCESS_POLICY',
  'PROFILE_ENROLLMENT',
  'POST_AUTH_SESSION',
  'ENTITY_RISK',
  'DEVICE_SIGNAL_COLLECTION',
  'CLIENT_UPDATE',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
