import type { Random } from '../../core/seeded-random.js';
import type { OktaLogEvent, OktaTarget } from '../../sources/okta/log-event.js';
import { OktaApiError } from '../errors.js';
import type { EventFactory, SimOrigin } from '../events/event-factory.js';
import type { SimUser } from '../org/sim-org.js';
import { changeDetails, PRIVILEGE_EVENTS, targetOf, WRITE_EVENTS } from './config-events.js';
import { familyNamed, newObjectId, type ConfigFamily, type FamilyName } from './config-families.js';
import type { ConfigModel, ConfigObject } from './config-model.js';
import { ROLE_TYPES, type RoleType } from './config-schemas.js';
import { isPlainObject } from './merge-patch.js';
import { notFound, validated } from './config-validation.js';

const HOUR = 3_600_000;

/** Families whose objects carry Okta's read-only `system` flag. */
const HAS_SYSTEM_FLAG = new Set<FamilyName>(['policy', 'policy-rule', 'zone']);

/** Families whose active objects Okta refuses to delete until they are deactivated. */
const DEACTIVATE_BEFORE_DELETE = new Set<FamilyName>(['app', 'zone', 'event-hook', 'idp', 'log-stream']);

export interface ConfigWriterDeps {
  readonly model: ConfigModel;
  readonly random: Random;
  readonly now: () => number;
  readonly events: EventFactory;
  /** The token's owner: the actor of every event a write emits. */
  readonly actor: SimUser;
  readonly origin: SimOrigin;
  readonly emit: (event: OktaLogEvent) => void;
}

/**
 * The write side of the configuration APIs: each write changes the model and emits the System Log
 * event Okta emits for it (docs/simulator-config.md "Write endpoints"). Bodies are hostile input:
 * server-owned fields (`id`, `created`, `lastUpdated`, `_links`) are taken from the model, never
 * from the request, and the result must pass the family's schema or nothing changes.
 */
export class ConfigWriter {
  constructor(private readonly deps: ConfigWriterDeps) {}

  /** `POST` on a collection: a new object from the body. */
  create(collection: string, body: unknown): ConfigObject {
    const at = this.deps.model.locate(collection);
    if (at?.kind !== 'collection') throw notFound(collection);
    const family = at.family;
    const verb = WRITE_EVENTS[family.name]?.create;
    if (!verb) throw methodNotAllowed(collection);
    const id = newObjectId(family, this.deps.random);
    const now = new Date(this.deps.now()).toISOString();
    const object = validated(family, {
      status: 'ACTIVE',
      ...(isPlainObject(body) ? body : {}),
      // Okta alone makes system objects: a body cannot.
      ...(HAS_SYSTEM_FLAG.has(family.name) ? { system: false } : {}),
      id,
      created: now,
      lastUpdated: now,
      _links: this.#linksOfNew(family, `${collection}/${id}`),
    });
    this.deps.model.insert(collection, object);
    this.#emit(verb, this.#targets(family, object, at.parent), collection);
    return object;
  }

  /** `PUT` on an object: the body replaces it (server-owned fields kept). */
  replace(path: string, body: unknown): ConfigObject {
    const { family, before, parent } = this.#existing(path);
    const verb = WRITE_EVENTS[family.name]?.update;
    if (!verb) throw methodNotAllowed(path);
    const after = validated(family, {
      ...(isPlainObject(body) ? body : {}),
      ...(HAS_SYSTEM_FLAG.has(family.name) ? { system: before['system'] } : {}),
      id: before['id'],
      created: before['created'],
      lastUpdated: new Date(this.deps.now()).toISOString(),
      ...(before['_links'] === undefined ? {} : { _links: before['_links'] }),
      ...(before['_link'] === undefined ? {} : { _link: before['_link'] }),
      // A token's window and expiry are not the API's to change (ApiTokenUpdate has neither).
      ...(family.name === 'api-token'
        ? { expiresAt: before['expiresAt'], tokenWindow: before['tokenWindow'] }
        : {}),
    });
    this.deps.model.replace(path, after);
    const change = changeDetails(family.name, before, after);
    const [first, ...rest] = this.#targets(family, after, parent);
    this.#emit(verb, [{ ...first!, ...(change ? { changeDetails: change } : {}) }, ...rest], path);
    return after;
  }

  /** `POST …/lifecycle/activate|deactivate`. */
  lifecycle(path: string, verb: 'activate' | 'deactivate'): ConfigObject {
    const { family, before, parent } = this.#existing(path);
    const event = WRITE_EVENTS[family.name]?.[verb];
    if (!event) throw methodNotAllowed(path);
    const status = verb === 'activate' ? 'ACTIVE' : 'INACTIVE';
    const after = { ...before, status, lastUpdated: new Date(this.deps.now()).toISOString() };
    this.deps.model.replace(path, after);
    this.#emit(event, this.#targets(family, after, parent), `${path}/lifecycle/${verb}`);
    return after;
  }

  /** `DELETE` on an object. */
  remove(path: string): void {
    const { family, before, parent } = this.#existing(path);
    const event = WRITE_EVENTS[family.name]?.delete;
    if (!event) throw methodNotAllowed(path);
    if (before['system'] === true) {
      throw new OktaApiError(403, 'E0000006', 'You do not have permission to perform the requested action', [
        `${family.kind} ${String(before['id'])} is a system object and cannot be deleted`,
      ]);
    }
    if (DEACTIVATE_BEFORE_DELETE.has(family.name) && before['status'] === 'ACTIVE') {
      throw new OktaApiError(403, 'E0000056', `Delete ${family.kind} forbidden.`, [
        `${family.kind} ${String(before['id'])} is ACTIVE: deactivate it first`,
      ]);
    }
    this.deps.model.remove(path);
    this.#emit(event, this.#targets(family, before, parent), path);
  }

  /** `POST /api/v1/{users|groups}/{id}/roles`, `POST /oauth2/v1/clients/{id}/roles`: assigns a standard role. */
  assignRole(collection: string, body: unknown): ConfigObject {
    const at = this.deps.model.locate(collection);
    if (at?.kind !== 'collection' || !isRoleFamily(at.family.name)) throw notFound(collection);
    const type = isPlainObject(body) ? body['type'] : undefined;
    if (typeof type !== 'string' || !(type in ROLE_TYPES)) {
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: type', [
        `type: must be one of ${Object.keys(ROLE_TYPES).join(', ')}`,
      ]);
    }
    if (this.deps.model.list(collection).some((r) => r['type'] === type)) {
      throw new OktaApiError(409, 'E0000090', 'Duplicate role assignment exception', [
        `the principal already holds ${type}`,
      ]);
    }
    const now = new Date(this.deps.now()).toISOString();
    const id = newObjectId(at.family, this.deps.random);
    const role = validated(at.family, {
      id,
      label: ROLE_TYPES[type as RoleType],
      type,
      status: 'ACTIVE',
      assignmentType: { 'user-role': 'USER', 'group-role': 'GROUP', 'client-role': 'CLIENT' }[at.family.name],
      created: now,
      lastUpdated: now,
      _links: { assignee: { href: collection.replace(/\/roles$/, '') } },
    });
    this.deps.model.insert(collection, role);
    this.#privilege(at.family.name, 'grant', at.parent!, role, collection);
    return role;
  }

  unassignRole(path: string): void {
    const { family, before, parent } = this.#existing(path);
    if (!isRoleFamily(family.name)) throw notFound(path);
    this.deps.model.remove(path);
    this.#privilege(family.name, 'revoke', parent!, before, path);
  }

  /** `POST /sim/api-tokens`: what the Admin Console does when an admin creates a token. */
  createApiToken(body: unknown): ConfigObject {
    const input = isPlainObject(body) ? body : {};
    const now = this.deps.now();
    return this.create('/api/v1/api-tokens', {
      clientName: 'Okta API',
      tokenWindow: 'P30D',
      userId: this.deps.actor.id,
      network: { connection: 'ANYWHERE' },
      ...input,
      expiresAt: new Date(now + 30 * 24 * HOUR).toISOString(),
    });
  }

  /** `POST /api/v1/threats/configuration`. */
  updateThreatInsight(body: unknown): ConfigObject {
    const path = '/api/v1/threats/configuration';
    const family = familyNamed('threat-insight');
    const before = this.deps.model.get(path)!;
    const after = validated(family, {
      ...(isPlainObject(body) ? body : {}),
      created: before['created'],
      lastUpdated: new Date(this.deps.now()).toISOString(),
      _links: before['_links'],
    });
    this.deps.model.replace(path, after);
    const org = this.deps.model.get('/api/v1/org')!;
    const change = changeDetails(family.name, before, after);
    this.#emit(
      ['security.threat.configuration.update', 'Update ThreatInsight configuration'],
      [
        {
          id: String(org['id']),
          type: 'ThreatInsightConfiguration',
          alternateId: 'unknown',
          displayName: 'ThreatInsight configuration',
          detailEntry: null,
          ...(change ? { changeDetails: change } : {}),
        },
      ],
      path,
    );
    return after;
  }

  /** `POST /api/v1/org/privacy/oktaSupport/{grant|extend|revoke}`. */
  supportAccess(action: 'grant' | 'extend' | 'revoke'): ConfigObject {
    const path = '/api/v1/org/privacy/oktaSupport';
    const before = this.deps.model.get(path)!;
    const now = this.deps.now();
    const current = typeof before['expiration'] === 'string' ? Date.parse(before['expiration']) : now;
    const after =
      action === 'revoke'
        ? { ...before, support: 'DISABLED', expiration: null }
        : action === 'grant'
          ? { ...before, support: 'ENABLED', expiration: new Date(now + 8 * HOUR).toISOString() }
          : { ...before, expiration: new Date(Math.max(now, current) + 24 * HOUR).toISOString() };
    if (action === 'extend' && before['support'] !== 'ENABLED') {
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: support', [
        'support: Okta Support access is not enabled, so it cannot be extended',
      ]);
    }
    this.deps.model.replace(path, validated(familyNamed('support-settings'), after));
    const messages = {
      grant: 'Enable impersonation grant',
      extend: 'Extend impersonation grant',
      revoke: 'Revoke impersonation grant',
    };
    this.#emit(
      [`user.session.impersonation.${action}`, messages[action]],
      [this.deps.events.userTarget(this.deps.actor)],
      `${path}/${action}`,
    );
    return after;
  }

  /** `PATCH /api/v1/org/privacy/oktaSupport/cases/{caseNumber}`: the case's impersonation grant. */
  updateSupportCase(path: string, body: unknown): ConfigObject {
    const { family, before } = this.#existing(path);
    const input = isPlainObject(body) ? body : {};
    const impersonation = isPlainObject(input['impersonation']) ? input['impersonation'] : {};
    const status = impersonation['status'] ?? (before['impersonation'] as ConfigObject)['status'];
    const after = validated(family, {
      ...before,
      impersonation: {
        status,
        expiration: status === 'ENABLED' ? new Date(this.deps.now() + 24 * HOUR).toISOString() : null,
      },
      ...(isPlainObject(input['selfAssigned']) ? { selfAssigned: input['selfAssigned'] } : {}),
    });
    this.deps.model.replace(path, after);
    const was = (before['impersonation'] as ConfigObject)['status'];
    if (was !== status) {
      const action = status === 'ENABLED' ? 'grant' : 'revoke';
      this.#emit(
        [
          `user.session.impersonation.${action}`,
          action === 'grant' ? 'Enable impersonation grant' : 'Revoke impersonation grant',
        ],
        [this.deps.events.userTarget(this.deps.actor)],
        path,
        { caseNumber: String(before['caseNumber']) },
      );
    }
    return after;
  }

  /** A new object's `_links`, as Okta gives them: a policy's rules, an app's authentication policy (the default one). */
  #linksOfNew(family: ConfigFamily, path: string): ConfigObject {
    if (family.name === 'policy') return { self: { href: path }, rules: { href: `${path}/rules` } };
    if (family.name === 'app') {
      const policy = this.deps.model
        .list('/api/v1/policies')
        .find((p) => p['type'] === 'ACCESS_POLICY' && p['system'] === true);
      if (policy)
        return { self: { href: path }, accessPolicy: { href: `/api/v1/policies/${String(policy['id'])}` } };
    }
    return { self: { href: path } };
  }

  #existing(path: string): { family: ConfigFamily; before: ConfigObject; parent?: string } {
    const at = this.deps.model.locate(path);
    if (at?.kind !== 'object') throw notFound(path);
    const parent = at.family.collection?.exec(at.collection)?.groups?.['parent'];
    return {
      family: at.family,
      before: this.deps.model.get(path)!,
      ...(parent === undefined ? {} : { parent }),
    };
  }

  /** The object's target, then (for a rule) its policy's. */
  #targets(family: ConfigFamily, object: ConfigObject, parent: string | undefined): OktaTarget[] {
    const out = [targetOf(family.name, object)];
    if (family.name === 'policy-rule' && parent) {
      const policy = this.deps.model.get(`/api/v1/policies/${parent}`);
      if (policy) out.push(targetOf('policy', policy));
    }
    return out;
  }

  #privilege(
    family: 'user-role' | 'group-role' | 'client-role',
    action: 'grant' | 'revoke',
    principal: string,
    role: ConfigObject,
    requestUri: string,
  ) {
    const [type, message] = PRIVILEGE_EVENTS[family][action];
    const label = String(role['label']);
    const target: OktaTarget =
      family === 'user-role'
        ? this.#userTarget(principal)
        : family === 'group-role'
          ? targetOf('group', this.deps.model.get(`/api/v1/groups/${principal}`) ?? { id: principal })
          : targetOf(
              'app',
              this.deps.model.get(`/api/v1/apps/${principal}`) ?? { id: principal, label: principal },
            );
    this.#emit(
      [type, message],
      [target],
      requestUri,
      action === 'grant' ? { privilegeGranted: label } : { privilegeRevoked: label },
    );
  }

  #userTarget(userId: string): OktaTarget {
    const user = this.deps.events.org.users.find((u) => u.id === userId);
    return user
      ? this.deps.events.userTarget(user)
      : { id: userId, type: 'User', alternateId: 'unknown', displayName: 'unknown', detailEntry: null };
  }

  #emit(
    [eventType, displayMessage]: readonly [string, string],
    target: OktaTarget[],
    requestUri: string,
    debugData: Record<string, unknown> = {},
  ) {
    this.deps.emit(
      this.deps.events.build({
        eventType,
        displayMessage,
        published: this.deps.now(),
        actor: this.deps.events.userActor(this.deps.actor),
        origin: this.deps.origin,
        target,
        debugData: { requestUri, url: requestUri, ...debugData },
      }),
    );
  }
}

const isRoleFamily = (name: FamilyName): name is 'user-role' | 'group-role' | 'client-role' =>
  name === 'user-role' || name === 'group-role' || name === 'client-role';

const methodNotAllowed = (path: string) =>
  new OktaApiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method', [
    `${path} does not take this operation`,
  ]);
