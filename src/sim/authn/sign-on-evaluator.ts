import type { ConfigModel, ConfigObject } from '../config/config-model.js';
import type { AuthnUser } from './authn-users.js';
import { zoneHolds } from './ip-zones.js';

/** What the global session policy decided for one sign-in, and the rule that decided it. */
export interface SignOnDecision {
  readonly access: 'ALLOW' | 'DENY';
  readonly requireFactor: boolean;
  /** Absent when no rule of any policy matched (Okta then denies). */
  readonly policy?: ConfigObject;
  readonly rule?: ConfigObject;
}

/** The password policy's lockout settings that apply to a user. */
export interface LockoutSettings {
  readonly maxAttempts: number;
  readonly autoUnlockMinutes: number;
  readonly showLockoutFailures: boolean;
}

type Conditions = {
  people?: {
    users?: { include?: unknown; exclude?: unknown };
    groups?: { include?: unknown; exclude?: unknown };
  };
  network?: { connection?: unknown; include?: unknown; exclude?: unknown };
};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const byPriority = (a: ConfigObject, b: ConfigObject) =>
  Number(a['priority'] ?? 0) - Number(b['priority'] ?? 0);

/** The ACTIVE policies of a type, by priority, whose `people.groups.include` holds one of the user's groups. */
function policiesFor(model: ConfigModel, type: string, user: AuthnUser): ConfigObject[] {
  return model
    .list('/api/v1/policies')
    .filter((p) => p['type'] === type && p['status'] === 'ACTIVE')
    .filter((p) => {
      const include = list((p['conditions'] as Conditions | null)?.people?.groups?.include);
      return include.length === 0 || include.some((g) => user.groups.has(g));
    })
    .sort(byPriority);
}

function peopleMatch(conditions: Conditions | null, user: AuthnUser): boolean {
  const people = conditions?.people;
  const users = people?.users;
  const groups = people?.groups;
  if (list(users?.exclude).includes(user.id)) return false;
  if (list(groups?.exclude).some((g) => user.groups.has(g))) return false;
  const userInclude = list(users?.include);
  const groupInclude = list(groups?.include);
  if (userInclude.length === 0 && groupInclude.length === 0) return true;
  return userInclude.includes(user.id) || groupInclude.some((g) => user.groups.has(g));
}

/** Whether one zone reference (an id or `ALL_ZONES`) holds the address. */
function inZones(model: ConfigModel, refs: readonly string[], address: string): boolean {
  const zones = model.list('/api/v1/zones');
  return refs.some((ref) =>
    ref === 'ALL_ZONES'
      ? zones.some((z) => z['usage'] !== 'BLOCKLIST' && zoneHolds(z, address))
      : zoneHolds(
          zones.find((z) => z['id'] === ref),
          address,
        ),
  );
}

function networkMatch(model: ConfigModel, conditions: Conditions | null, address: string): boolean {
  const network = conditions?.network;
  if (!network || network.connection !== 'ZONE') return true;
  const include = list(network.include);
  const exclude = list(network.exclude);
  if (include.length > 0 && !inZones(model, include, address)) return false;
  return !(exclude.length > 0 && inZones(model, exclude, address));
}

/**
 * Okta's global session policy for one sign-in: OKTA_SIGN_ON policies by priority (those whose
 * groups hold the user), in each its ACTIVE SIGN_ON rules by priority; the first rule whose people
 * and network conditions match decides `access` and `requireFactor`. `ignoreZones` is a provider
 * that stopped enforcing network zones: a DENY rule that depends on a zone is passed over and an
 * ALLOW rule's zone condition counts as met.
 */
export function evaluateSignOn(
  model: ConfigModel,
  user: AuthnUser,
  address: string,
  options: { readonly ignoreZones: boolean },
): SignOnDecision {
  for (const policy of policiesFor(model, 'OKTA_SIGN_ON', user)) {
    const rules = model
      .list(`/api/v1/policies/${String(policy['id'])}/rules`)
      .filter((r) => r['status'] === 'ACTIVE')
      .sort(byPriority);
    for (const rule of rules) {
      const conditions = rule['conditions'] as Conditions | null;
      const signon = ((rule['actions'] as { signon?: Record<string, unknown> } | undefined)?.signon ??
        {}) as {
        access?: unknown;
        requireFactor?: unknown;
      };
      const access = signon.access === 'DENY' ? 'DENY' : 'ALLOW';
      if (!peopleMatch(conditions, user)) continue;
      const zoned = conditions?.network?.connection === 'ZONE';
      if (zoned && options.ignoreZones) {
        if (access === 'DENY') continue;
      } else if (!networkMatch(model, conditions, address)) continue;
      return { access, requireFactor: signon.requireFactor === true, policy, rule };
    }
  }
  return { access: 'DENY', requireFactor: false };
}

/** The lockout settings of the first ACTIVE PASSWORD policy (by priority) whose groups hold the user. */
export function lockoutFor(model: ConfigModel, user: AuthnUser): LockoutSettings {
  const policy = policiesFor(model, 'PASSWORD', user)[0];
  const lockout = ((policy?.['settings'] as { password?: { lockout?: Record<string, unknown> } } | undefined)
    ?.password?.lockout ?? {}) as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return {
    maxAttempts: count(lockout['maxAttempts']),
    autoUnlockMinutes: count(lockout['autoUnlockMinutes']),
    showLockoutFailures: lockout['showLockoutFailures'] === true,
  };
}
