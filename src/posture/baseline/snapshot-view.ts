import type { ConfigSnapshot } from '../config-snapshot.js';

/** A configuration object with the API path it was read from. */
export interface ConfigObject {
  readonly path: string;
  readonly value: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value inside an object by property path; undefined where any step is missing. */
export function at(value: unknown, ...steps: (string | number)[]): unknown {
  let current: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isObject(current) ? current[step] : undefined;
  }
  return current;
}

/**
 * Read access to a snapshot by object family, for the baseline checks. Objects are found by their
 * API path shape, so a check never depends on the order the reader met them in.
 */
export class SnapshotView {
  constructor(readonly snapshot: ConfigSnapshot) {}

  /** Objects whose path matches `pattern`, in path order. */
  objects(pattern: RegExp): ConfigObject[] {
    return Object.entries(this.snapshot.objects)
      .filter(([path, value]) => pattern.test(path) && isObject(value))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, value]) => ({ path, value: value as Record<string, unknown> }));
  }

  object(path: string): ConfigObject | undefined {
    const value = this.snapshot.objects[path];
    return isObject(value) ? { path, value } : undefined;
  }

  /** Whether the reader could read `family` (a family in `incomplete` cannot be judged). */
  complete(family: string): boolean {
    return !this.snapshot.incomplete.some((i) => i.family === family);
  }

  policies(type: string): ConfigObject[] {
    return this.objects(/^\/api\/v1\/policies\/[^/]+$/).filter((p) => p.value['type'] === type);
  }

  rules(policy: ConfigObject): ConfigObject[] {
    const prefix = `${policy.path}/rules/`;
    return this.objects(/^\/api\/v1\/policies\/[^/]+\/rules\/[^/]+$/).filter((r) =>
      r.path.startsWith(prefix),
    );
  }

  active(objects: readonly ConfigObject[]): ConfigObject[] {
    return objects.filter((o) => o.value['status'] === 'ACTIVE');
  }

  authenticators(): ConfigObject[] {
    return this.objects(/^\/api\/v1\/authenticators\/[^/]+$/);
  }

  /** Role assignments to users, groups and clients. */
  roleAssignments(): ConfigObject[] {
    return this.objects(/^\/(api\/v1\/(users|groups)|oauth2\/v1\/clients)\/[^/]+\/roles\/[^/]+$/);
  }

  /** The assignee (user, group or client) of a role assignment path: its id and, for a user, its login. */
  assignee(rolePath: string): { kind: 'user' | 'group' | 'client'; id: string; name: string | null } {
    // /api/v1/users/{id}/roles/{rid}, /api/v1/groups/{id}/roles/{rid}, /oauth2/v1/clients/{id}/roles/{rid}
    const segments = rolePath.split('/');
    const id = segments[4] ?? '';
    const kind = segments[3] === 'groups' ? 'group' : segments[3] === 'clients' ? 'client' : 'user';
    const holder = this.object(segments.slice(0, 5).join('/'))?.value;
    const name = at(holder, 'profile', kind === 'group' ? 'name' : 'login');
    return { kind, id, name: typeof name === 'string' ? name : null };
  }
}
