/**
 * Who a console request acts as, and what they may do. Roles are ordered: each may do everything the
 * ones before it may (issue 18): a viewer reads, tokenised; an analyst triages alerts and incidents
 * and requests reveals; an admin also manages users, sources, sinks and approves containment.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Whether `have` is `need` or above it. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** The lower of two roles: what an API token may do is capped by its owner's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? b : a;
}

/** The signed-in person (or script) behind a request; `request.principal` is null when nobody is. */
export interface Principal {
  readonly userId: string;
  /** The account name (`vigil user add NAME`): a local name, never an identity-provider login. */
  readonly name: string;
  /** The role this request acts with: the user's, or an API token's when that is lower. */
  readonly role: Role;
  /** A browser session (cookie; CSRF enforced) or an API token (`Authorization: Bearer`; no cookie, no CSRF). */
  readonly via: 'session' | 'api-token';
  readonly sessionId?: string;
  /** The API token's id, when `via` is `api-token`. */
  readonly tokenId?: string;
}
