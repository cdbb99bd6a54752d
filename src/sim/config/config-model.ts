import { CONFIG_FAMILIES, type ConfigFamily } from './config-families.js';

export type ConfigObject = Record<string, unknown>;

/** Where an API path points in the model. */
export type ConfigLocation =
  | {
      readonly kind: 'object';
      readonly family: ConfigFamily;
      readonly collection: string;
      readonly id: string;
    }
  | { readonly kind: 'singleton'; readonly family: ConfigFamily; readonly path: string }
  | {
      readonly kind: 'collection';
      readonly family: ConfigFamily;
      readonly collection: string;
      readonly parent?: string;
    };

/**
 * The org's configuration held in memory, every object under its API path: a collection path
 * (`/api/v1/policies/{pid}/rules`) holds objects by id in creation order, a singleton path
 * (`/api/v1/threats/configuration`) holds one object. Reads hand out copies, so nothing outside
 * changes the model except through `insert`, `replace` and `remove`.
 */
export class ConfigModel {
  readonly #collections = new Map<string, Map<string, ConfigObject>>();
  readonly #singletons = new Map<string, ConfigObject>();
  /** Users known to exist (role collections are open for them). */
  readonly #users = new Set<string>();

  constructor(users: Iterable<string>) {
    for (const id of users) this.#users.add(id);
  }

  addUser(id: string): void {
    this.#users.add(id);
  }

  /** Resolves an API path (no query) to an existing object, singleton or open collection. */
  locate(path: string): ConfigLocation | undefined {
    for (const family of CONFIG_FAMILIES) {
      if (family.singleton === path && this.#singletons.has(path)) return { kind: 'singleton', family, path };
      const match = family.collection?.exec(path);
      if (match && this.#collectionOpen(family, match.groups?.['parent'])) {
        const parent = match.groups?.['parent'];
        return { kind: 'collection', family, collection: path, ...(parent === undefined ? {} : { parent }) };
      }
    }
    const slash = path.lastIndexOf('/');
    const collection = path.slice(0, slash);
    const id = decodeURIComponent(path.slice(slash + 1));
    for (const family of CONFIG_FAMILIES) {
      if (family.collection?.test(collection) && this.#collections.get(collection)?.has(id)) {
        return { kind: 'object', family, collection, id };
      }
    }
    return undefined;
  }

  /** The objects of a collection in creation order (copies). */
  list(collection: string): ConfigObject[] {
    return [...(this.#collections.get(collection)?.values() ?? [])].map((o) => structuredClone(o));
  }

  /** Collection paths under a prefix with at least one object (e.g. every `/api/v1/users/{id}/roles`). */
  collectionsMatching(pattern: RegExp): string[] {
    return [...this.#collections.entries()].filter(([p, m]) => m.size > 0 && pattern.test(p)).map(([p]) => p);
  }

  get(path: string): ConfigObject | undefined {
    const at = this.locate(path);
    if (at?.kind === 'singleton') return structuredClone(this.#singletons.get(at.path));
    if (at?.kind === 'object') return structuredClone(this.#collections.get(at.collection)!.get(at.id));
    return undefined;
  }

  /** Adds an object to a collection (keyed by its family's id field). */
  insert(collection: string, object: ConfigObject): string {
    const family = CONFIG_FAMILIES.find((f) => f.collection?.test(collection));
    if (!family) throw new TypeError(`not a collection path: ${collection}`);
    const id = String(object[family.idKey]);
    let members = this.#collections.get(collection);
    if (!members) this.#collections.set(collection, (members = new Map()));
    members.set(id, structuredClone(object));
    return `${collection}/${id}`;
  }

  setSingleton(path: string, object: ConfigObject): void {
    if (!CONFIG_FAMILIES.some((f) => f.singleton === path))
      throw new TypeError(`not a singleton path: ${path}`);
    this.#singletons.set(path, structuredClone(object));
  }

  /** Replaces an existing object or singleton (its id stays its key). */
  replace(path: string, object: ConfigObject): void {
    const at = this.locate(path);
    if (at?.kind === 'singleton') this.#singletons.set(at.path, structuredClone(object));
    else if (at?.kind === 'object') this.#collections.get(at.collection)!.set(at.id, structuredClone(object));
    else throw new TypeError(`no object at ${path}`);
  }

  /** Removes an object and every collection under it (a policy's rules). */
  remove(path: string): void {
    const at = this.locate(path);
    if (at?.kind !== 'object') throw new TypeError(`no object at ${path}`);
    this.#collections.get(at.collection)!.delete(at.id);
    for (const key of [...this.#collections.keys()])
      if (key.startsWith(path + '/')) this.#collections.delete(key);
  }

  #collectionOpen(family: ConfigFamily, parent: string | undefined): boolean {
    switch (family.name) {
      case 'policy-rule':
        return this.#collections.get('/api/v1/policies')?.has(parent!) ?? false;
      case 'user-role':
        return this.#users.has(parent!);
      case 'group-role':
        return this.#collections.get('/api/v1/groups')?.has(parent!) ?? false;
      case 'client-role':
        return this.#collections.get('/api/v1/apps')?.get(parent!)?.['signOnMode'] === 'OPENID_CONNECT';
      default:
        return true;
    }
  }
}
