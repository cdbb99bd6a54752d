import { readProviderJson } from '../provider-json.js';
import { VigilError } from '../../core/vigil-error.js';
import { DEFAULT_BODY_LIMITS, readBoundedBody, type BodyLimits } from '../bounded-body.js';
import type { ConfigReader, ConfigReading } from '../config-reader.js';
import { undiciGet, type HttpGet } from '../http-get.js';
import { providerExcerpt } from '../provider-excerpt.js';
import { parseLinkHeader } from './link-header.js';
import { oktaSourceError, type OktaConnection } from './okta-connection.js';
import { POLICY_TYPES } from './policy-types.js';
import { BucketBudgets, type RateBudget } from './rate-budget.js';

export interface OktaConfigReaderOptions extends OktaConnection {
  /** The longest one wait for a bucket's reset may be; a longer one fails the family. */
  readonly maxWaitMs?: number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** One family could not be read: the reading goes on with the others. */
class FamilyFailed extends Error {}

/**
 * Reads an Okta org's configuration (okta-api.md §6) family by family: policies of every type and
 * their rules, authenticators, network zones, ThreatInsight, admin role assignments of users, groups
 * and service clients, API tokens, identity providers, apps, event hooks, log streams, trusted
 * origins, Okta Support access and cases. Lists are paged through `rel="next"` links that must stay
 * on the org's origin and the list's own path; each rate-limit bucket (one per path family) is kept
 * inside `rateShare`, so a snapshot never starves the System Log pull; every body is bounded and must
 * be unambiguous JSON. An object id that is not a plain id is refused (it becomes part of a path).
 */
export class OktaConfigReader implements ConfigReader {
  readonly name: string;
  readonly #origin: string;
  readonly #http: HttpGet;
  readonly #limits: BodyLimits;
  readonly #budgets: BucketBudgets;
  #requests = 0;
  #throttled = 0;
  #waitedMs = 0;

  constructor(private readonly o: OktaConfigReaderOptions) {
    this.name = o.name;
    this.#origin = new URL(o.url).origin;
    this.#http = o.http ?? undiciGet;
    this.#limits = o.bodyLimits ?? DEFAULT_BODY_LIMITS;
    this.#budgets = new BucketBudgets(o.rateShare, bucketOf);
  }

  async read(signal?: AbortSignal): Promise<ConfigReading> {
    const objects: Record<string, unknown> = {};
    const incomplete: { family: string; reason: string }[] = [];
    const family = async (name: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof FamilyFailed || error instanceof VigilError)) throw error;
        incomplete.push({ family: name, reason: error.message });
      }
    };
    const put = (path: string, value: unknown) => {
      objects[path] = value;
    };
    const each = async (path: string, query: string, into: (item: Record<string, unknown>) => void) => {
      for (const item of await this.#list(path, query, signal)) into(item);
    };

    await family('policy', async () => {
      for (const type of POLICY_TYPES) {
        await each('/api/v1/policies', `type=${type}&limit=200`, (p) =>
          put(`/api/v1/policies/${idOf(p)}`, p),
        );
      }
    });
    await family('policy-rule', async () => {
      const policies = Object.keys(objects).filter((p) => /^\/api\/v1\/policies\/[^/]+$/.test(p));
      if (incomplete.some((i) => i.family === 'policy'))
        throw new FamilyFailed('the policies could not be read');
      for (const policy of policies)
        await each(`${policy}/rules`, 'limit=200', (r) => put(`${policy}/rules/${idOf(r)}`, r));
    });
    await family('authenticator', () =>
      each('/api/v1/authenticators', '', (a) => put(`/api/v1/authenticators/${idOf(a)}`, a)),
    );
    await family('zone', () => each('/api/v1/zones', 'limit=200', (z) => put(`/api/v1/zones/${idOf(z)}`, z)));
    await family('threat-insight', async () =>
      put('/api/v1/threats/configuration', await this.#one('/api/v1/threats/configuration', signal)),
    );
    await family('user-role', async () => {
      for (const assignee of await this.#list('/api/v1/iam/assignees/users', 'limit=100', signal, 'value')) {
        const user = idOf(assignee);
        for (const role of await this.#list(`/api/v1/users/${user}/roles`, '', signal)) {
          // Roles held through a group are read with the group.
          if (role['assignmentType'] !== 'GROUP') put(`/api/v1/users/${user}/roles/${idOf(role)}`, role);
        }
      }
    });
    await family('group-role', async () => {
      for (const group of await this.#list('/api/v1/groups', 'limit=1000', signal)) {
        const id = idOf(group);
        const roles = await this.#list(`/api/v1/groups/${id}/roles`, '', signal);
        if (roles.length === 0) continue;
        put(`/api/v1/groups/${id}`, group);
        for (const role of roles) put(`/api/v1/groups/${id}/roles/${idOf(role)}`, role);
      }
    });
    await family('app', () => each('/api/v1/apps', 'limit=200', (a) => put(`/api/v1/apps/${idOf(a)}`, a)));
    await family('client-role', async () => {
      if (incomplete.some((i) => i.family === 'app')) throw new FamilyFailed('the apps could not be read');
      for (const [path, app] of Object.entries(objects)) {
        if (!/^\/api\/v1\/apps\/[^/]+$/.test(path) || !isServiceClient(app)) continue;
        const id = path.split('/')[4]!;
        for (const role of await this.#list(`/oauth2/v1/clients/${id}/roles`, '', signal))
          put(`/oauth2/v1/clients/${id}/roles/${idOf(role)}`, role);
      }
    });
    await family('api-token', () =>
      each('/api/v1/api-tokens', 'limit=200', (t) => put(`/api/v1/api-tokens/${idOf(t)}`, t)),
    );
    await family('idp', () => each('/api/v1/idps', 'limit=200', (i) => put(`/api/v1/idps/${idOf(i)}`, i)));
    await family('event-hook', () =>
      each('/api/v1/eventHooks', '', (h) => put(`/api/v1/eventHooks/${idOf(h)}`, h)),
    );
    await family('log-stream', () =>
      each('/api/v1/logStreams', 'limit=200', (s) => put(`/api/v1/logStreams/${idOf(s)}`, s)),
    );
    await family('trusted-origin', () =>
      each('/api/v1/trustedOrigins', 'limit=200', (t) => put(`/api/v1/trustedOrigins/${idOf(t)}`, t)),
    );
    await family('support-access', async () =>
      put('/api/v1/org/privacy/oktaSupport', await this.#one('/api/v1/org/privacy/oktaSupport', signal)),
    );
    await family('support-case', async () => {
      const body = await this.#one('/api/v1/org/privacy/oktaSupport/cases', signal);
      const cases = body['supportCases'];
      if (!Array.isArray(cases)) throw new FamilyFailed('supportCases is not a list');
      for (const c of cases) {
        if (c === null || typeof c !== 'object') throw new FamilyFailed('a support case is not an object');
        const number = (c as Record<string, unknown>)['caseNumber'];
        if (typeof number !== 'string' || !ID.test(number))
          throw new FamilyFailed('a support case has no plain caseNumber');
        put(`/api/v1/org/privacy/oktaSupport/cases/${number}`, c);
      }
    });
    return {
      objects,
      incomplete,
      requests: this.#requests,
      throttled: this.#throttled,
      waitedMs: this.#waitedMs,
    };
  }

  /** Every item of a paged list (`key`: the list sits in that member of an object body). */
  async #list(
    path: string,
    query: string,
    signal: AbortSignal | undefined,
    key?: string,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let url: string | null = `${this.#origin}${path}${query ? `?${query}` : ''}`;
    const seen = new Set<string>();
    while (url !== null) {
      if (seen.has(url)) throw new FamilyFailed(`${path}: the next link repeats a page already read`);
      seen.add(url);
      const { body, next } = await this.#get(url, path, signal);
      const list = key === undefined ? body : (body as Record<string, unknown> | null)?.[key];
      if (!Array.isArray(list)) throw new FamilyFailed(`${path}: the answer is not a list`);
      for (const item of list) {
        if (item === null || typeof item !== 'object' || Array.isArray(item))
          throw new FamilyFailed(`${path}: an item is not an object`);
        items.push(item as Record<string, unknown>);
      }
      url = next;
    }
    return items;
  }

  async #one(path: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const { body } = await this.#get(`${this.#origin}${path}`, path, signal);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new FamilyFailed(`${path}: the answer is not an object`);
    return body as Record<string, unknown>;
  }

  /** One GET inside the bucket's share, retried a few times on 429 and 5xx, bounded in time and size. */
  async #get(
    url: string,
    path: string,
    signal: AbortSignal | undefined,
  ): Promise<{ body: unknown; next: string | null }> {
    const budget = this.#budgets.for(path);
    for (let attempt = 0; ; attempt++) {
      const wait = budget.waitMs(this.o.clock.now());
      if (wait > 0) await this.#wait(wait, path, signal);
      const outcome = await this.#request(url, path, budget, signal);
      if (outcome.kind === 'ok') return outcome;
      if (attempt >= 4) throw new FamilyFailed(`${path}: ${outcome.why} (gave up after 5 attempts)`);
      await this.#wait(outcome.waitMs ?? 1000 * 2 ** attempt, path, signal);
    }
  }

  async #wait(ms: number, path: string, signal: AbortSignal | undefined): Promise<void> {
    const max = this.o.maxWaitMs ?? 120_000;
    if (ms > max)
      throw new FamilyFailed(
        `${path}: the rate limit resets in ${Math.ceil(ms / 1000)} s, beyond the ${Math.ceil(max / 1000)} s a snapshot waits`,
      );
    this.#waitedMs += ms;
    await this.o.clock.sleep(ms, signal);
  }

  async #request(
    url: string,
    path: string,
    budget: RateBudget,
    outer: AbortSignal | undefined,
  ): Promise<
    { kind: 'ok'; body: unknown; next: string | null } | { kind: 'again'; why: string; waitMs?: number }
  > {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.o.requestTimeoutMs);
    const stop = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', stop, { once: true });
    this.#requests++;
    try {
      const response = await this.#http(url, {
        headers: { authorization: `SSWS ${this.o.token}`, accept: 'application/json' },
        signal: controller.signal,
      });
      budget.observe(response.headers);
      const { status, headers } = response;
      if (status === 429 || status >= 500) {
        response.body.destroy();
        if (status === 429) this.#throttled++;
        return {
          kind: 'again',
          why: `HTTP ${status}`,
          ...(status === 429 ? { waitMs: budget.waitAfter429(this.o.clock.now()) } : {}),
        };
      }
      if (status !== 200) {
        const text = await readBoundedBody(
          response.body,
          headers.get('content-encoding'),
          ERROR_LIMITS,
          controller.signal,
        ).catch(() => Buffer.alloc(0));
        throw new FamilyFailed(
          `${path}: HTTP ${status}${status >= 300 && status < 400 ? ' (a redirect: refused, not followed)' : ''} ${providerExcerpt(text.toString('utf8'), [this.o.token])}`.trim(),
        );
      }
      if (!JSON_TYPE.test(headers.get('content-type') ?? '')) {
        response.body.destroy();
        throw oktaSourceError(this.name, 'SOURCE_NOT_JSON', path, 'the answer is not JSON');
      }
      const answer = await readProviderJson(
        response.body,
        headers.get('content-encoding'),
        this.#limits,
        controller.signal,
      );
      if ('problem' in answer)
        throw oktaSourceError(
          this.name,
          answer.ambiguous ? 'SOURCE_AMBIGUOUS_JSON' : 'SOURCE_BAD_PAGE',
          path,
          answer.problem,
        );
      const body = answer.json;
      const next = parseLinkHeader(headers.get('link'))['next'];
      return { kind: 'ok', body, next: next === undefined ? null : this.#checkLink(next, path, url) };
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      if (controller.signal.aborted)
        return { kind: 'again', why: `no complete answer within ${this.o.requestTimeoutMs} ms` };
      if (error instanceof FamilyFailed || error instanceof VigilError) throw error;
      return {
        kind: 'again',
        why: `request failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', stop);
    }
  }

  /** A next link must stay on the org's origin and the list's own path (the token goes with it). */
  #checkLink(link: string, path: string, page: string): string {
    let next: URL;
    try {
      next = new URL(link, page);
    } catch {
      throw oktaSourceError(this.name, 'SOURCE_FOREIGN_LINK', path, 'a next link is not a URL');
    }
    if (next.origin !== this.#origin || next.pathname !== path)
      throw oktaSourceError(
        this.name,
        'SOURCE_FOREIGN_LINK',
        path,
        `a next link leaves ${this.#origin}${path}: ${providerExcerpt(`${next.origin}${next.pathname}`, [this.o.token])}`,
      );
    return next.toString();
  }
}

const ERROR_LIMITS: BodyLimits = { maxBodyBytes: 16_384, maxDecodedBytes: 16_384, maxCompressionRatio: 100 };

/** The id of an object the provider listed; refused unless it is a plain id (it becomes a path segment). */
function idOf(item: Record<string, unknown>): string {
  const id = item['id'];
  if (typeof id !== 'string' || !ID.test(id))
    throw new FamilyFailed(
      `an object has no plain id: ${providerExcerpt(JSON.stringify(id ?? null), [], 60)}`,
    );
  return id;
}

/** An OAuth service app: the only apps that can hold admin roles as clients. */
function isServiceClient(app: unknown): boolean {
  const a = app as { signOnMode?: unknown; settings?: { oauthClient?: { application_type?: unknown } } };
  return a.signOnMode === 'OPENID_CONNECT' && a.settings?.oauthClient?.application_type === 'service';
}

/** Okta's rate-limit bucket of a path: its API family (`/api/v1/users/x/roles` counts with roles). */
export function bucketOf(path: string): string {
  if (
    /^\/api\/v1\/users\/[^/]+\/roles/.test(path) ||
    path.startsWith('/api/v1/iam/') ||
    path.startsWith('/oauth2/')
  )
    return 'roles';
  return path.split('/')[3] ?? path;
}
