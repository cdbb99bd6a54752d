import type { Random } from '../../core/seeded-random.js';
import { OktaApiError } from '../errors.js';
import { newObjectId } from './config-families.js';
import type { ConfigModel, ConfigObject } from './config-model.js';
import { ROLE_TYPES } from './config-schemas.js';
import { notFound, validated } from './config-validation.js';
import { isPlainObject, mergePatch } from './merge-patch.js';

/** A change to the configuration by API path: a JSON merge patch (RFC 7396), or a new object on a collection. */
export interface ConfigChange {
  readonly resource: string;
  readonly patch: unknown;
  /**
   * When a scenario's change happens (ms, its event's time). One after the simulator's start is
   * applied at the first request once the clock has passed it; none, or an earlier one, at start.
   */
  readonly at?: number;
}

/**
 * Applies a change below the application (`POST /sim/shadow-change`, and the scenarios' changes whose
 * events they write themselves): the model changes and no System Log event is written.
 *
 * - an object or singleton path: the patch is merged into it (`lastUpdated` untouched: nothing in
 *   the application saw it); `null` deletes an object;
 * - a collection path: a new object is made from the patch, server fields filled in when absent;
 *   a user's role collection is opened for an unknown user id (the change below can make users too).
 *
 * Unknown path: 404 E0000007. A result that breaks the family's schema, or a patch that changes the
 * id: 400 E0000001, the model unchanged.
 */
export function applyConfigChange(
  model: ConfigModel,
  random: Random,
  nowMs: number,
  change: ConfigChange,
): { created: boolean; object: ConfigObject | null } {
  const { resource, patch } = change;
  if (typeof resource !== 'string' || !resource.startsWith('/') || resource.includes('?')) {
    throw new OktaApiError(400, 'E0000001', 'Api validation failed: resource', [
      'resource: an API path such as /api/v1/policies/{policyId}/rules/{ruleId}',
    ]);
  }
  const newUser = /^\/api\/v1\/users\/(00u[A-Za-z0-9]{17})\/roles$/.exec(resource)?.[1];
  if (newUser) model.addUser(newUser);
  const at = model.locate(resource);
  if (!at) throw notFound(resource);

  if (at.kind === 'collection') {
    if (!isPlainObject(patch)) {
      throw new OktaApiError(400, 'E0000001', `Api validation failed: ${at.family.kind}`, [
        'patch: a new object must be a JSON object',
      ]);
    }
    const now = new Date(nowMs).toISOString();
    const idKey = at.family.idKey;
    const id = patch[idKey] ?? (at.family.idPrefix ? newObjectId(at.family, random) : undefined);
    if (id !== undefined && model.get(`${resource}/${String(id)}`)) {
      throw new OktaApiError(400, 'E0000001', `Api validation failed: ${at.family.kind}`, [
        `${idKey}: ${String(id)} already exists`,
      ]);
    }
    const isRole = /\/roles$/.test(resource);
    const object = mergePatch(
      {
        ...(isRole
          ? {
              label: ROLE_TYPES[patch['type'] as keyof typeof ROLE_TYPES] ?? String(patch['type']),
              status: 'ACTIVE',
              assignmentType: resource.startsWith('/api/v1/users/')
                ? 'USER'
                : resource.startsWith('/api/v1/groups/')
                  ? 'GROUP'
                  : 'CLIENT',
              _links: { assignee: { href: resource.replace(/\/roles$/, '') } },
            }
          : at.family.idKey === 'id'
            ? { _links: { self: { href: `${resource}/${String(id)}` } } }
            : {}),
        ...(at.family.idKey === 'id' ? { created: now, lastUpdated: now } : {}),
      },
      { ...patch, ...(id === undefined ? {} : { [idKey]: id }) },
    ) as ConfigObject;
    model.insert(resource, validated(at.family, object));
    return { created: true, object };
  }

  const before = model.get(resource)!;
  if (patch === null) {
    if (at.kind === 'singleton') {
      throw new OktaApiError(400, 'E0000001', `Api validation failed: ${at.family.kind}`, [
        `${resource} is a singleton: it can be changed, not deleted`,
      ]);
    }
    model.remove(resource);
    return { created: false, object: null };
  }
  const after = mergePatch(before, patch);
  if (!isPlainObject(after)) {
    throw new OktaApiError(400, 'E0000001', `Api validation failed: ${at.family.kind}`, [
      'patch: the result must stay a JSON object',
    ]);
  }
  const idKey = at.family.idKey;
  if (at.kind === 'object' && after[idKey] !== before[idKey]) {
    throw new OktaApiError(400, 'E0000001', `Api validation failed: ${at.family.kind}`, [
      `${idKey}: the id of an object cannot change`,
    ]);
  }
  model.replace(resource, validated(at.family, after));
  return { created: false, object: after };
}
