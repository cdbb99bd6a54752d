import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import { bucketOf, DEFAULT_BUCKET_LIMITS, type ConfigBucket } from '../config/config-families.js';
import type { ConfigModel } from '../config/config-model.js';
import { PAGING, pageOf, selectObjects } from '../config/config-queries.js';
import { notFound } from '../config/config-validation.js';
import type { ConfigWriter } from '../config/config-writes.js';
import { applyConfigChange } from '../config/shadow-change.js';
import { OktaApiError } from '../errors.js';
import { requestId } from '../org/okta-ids.js';
import { MinuteRateLimiter } from '../rate-limiter.js';
import { useOktaJson } from './okta-json-scope.js';

export interface ConfigRouteDeps {
  readonly model: ConfigModel;
  readonly writer: ConfigWriter;
  readonly random: Random;
  readonly now: () => number;
  readonly baseUrl: () => string;
  readonly apiTokens: ReadonlySet<string>;
  readonly oauthTokens: ReadonlyMap<string, readonly string[]>;
  /** Requests per minute per bucket (defaults: DEFAULT_BUCKET_LIMITS). */
  readonly limits?: Partial<Record<ConfigBucket, number>>;
  /** Serve the control endpoints (`vigil sim --control`). */
  readonly control: boolean;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly links?: { readonly next?: string };
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** Authenticator methods by key (derived: each method follows its authenticator's status). */
const METHODS_BY_KEY: Record<string, readonly string[]> = {
  okta_password: ['password'],
  okta_email: ['email'],
  okta_verify: ['push', 'totp', 'signed_nonce'],
  webauthn: ['webauthn'],
  phone_number: ['sms', 'voice'],
  security_question: ['security_question'],
  google_otp: ['otp'],
};

/**
 * The configuration APIs of docs/simulator-config.md: reads with Okta's paths, paging and errors,
 * writes through ConfigWriter (which emits the System Log events), a rate-limit bucket per family,
 * and with `control` the `/sim/` endpoints that change the org below the application.
 */
export function registerConfigRoutes(app: FastifyInstance, deps: ConfigRouteDeps): void {
  const limiters = new Map<ConfigBucket, MinuteRateLimiter>(
    (Object.keys(DEFAULT_BUCKET_LIMITS) as ConfigBucket[]).map((b) => [
      b,
      new MinuteRateLimiter(deps.limits?.[b] ?? DEFAULT_BUCKET_LIMITS[b]),
    ]),
  );

  void app.register(async (scope) => {
    useOktaJson(scope, deps.random);

    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(request.url, 'http://sim.invalid');
      const path = url.pathname;
      reply.header('x-okta-request-id', requestId(deps.random));
      reply.header('content-type', 'application/json');
      if (!authorized(request.headers.authorization, deps)) {
        throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
      }
      const bucket = bucketOf(path);
      if (!bucket) throw notFound(path);
      const { allowed, headers } = limiters.get(bucket)!.take(deps.now());
      reply.headers(headers);
      if (!allowed)
        throw new OktaApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      const answer = answerRequest(deps, request.method, path, url.searchParams, request.body);
      const base = deps.baseUrl();
      const self = `<${base}${path}${url.search}>; rel="self"`;
      if (answer.links) {
        const lines = [self];
        if (answer.links.next !== undefined) {
          const next = new URLSearchParams(url.searchParams);
          next.set('after', answer.links.next);
          lines.push(`<${base}${path}?${next.toString()}>; rel="next"`);
        }
        reply.header('link', lines);
      }
      if (answer.body === undefined) return reply.code(answer.status).removeHeader('content-type').send();
      return reply.code(answer.status).send(JSON.stringify(absoluteLinks(answer.body, base)));
    };
    for (const url of ['/api/v1/*', '/oauth2/v1/clients/*'])
      scope.route({ method: [...METHODS], url, handler: handle });

    if (deps.control) {
      const control =
        (run: (body: unknown) => Answer) => async (request: FastifyRequest, reply: FastifyReply) => {
          reply.header('content-type', 'application/json');
          if (!authorized(request.headers.authorization, deps)) {
            throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
          }
          const answer = run(request.body);
          return reply.code(answer.status).send(JSON.stringify(absoluteLinks(answer.body, deps.baseUrl())));
        };
      scope.post(
        '/sim/shadow-change',
        control((body) => {
          const input = (typeof body === 'object' && body !== null ? body : {}) as {
            resource?: unknown;
            patch?: unknown;
          };
          if (!('patch' in input)) {
            throw new OktaApiError(400, 'E0000001', 'Api validation failed: patch', [
              'patch: a JSON merge patch is required',
            ]);
          }
          const result = applyConfigChange(deps.model, deps.random, deps.now(), {
            resource: input.resource as string,
            patch: input.patch,
          });
          return result.created ? { status: 201, body: result.object } : { status: 200, body: result.object };
        }),
      );
      scope.post(
        '/sim/api-tokens',
        control((body) => ({ status: 201, body: deps.writer.createApiToken(body) })),
      );
    }
  });
}

function authorized(header: string | undefined, deps: ConfigRouteDeps): boolean {
  const [scheme, token] = (header ?? '').split(' ', 2);
  if (!token) return false;
  return (
    (scheme === 'SSWS' && deps.apiTokens.has(token)) || (scheme === 'Bearer' && deps.oauthTokens.has(token))
  );
}

function answerRequest(
  deps: ConfigRouteDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Answer {
  const { model, writer } = deps;
  const lifecycle = /^(?<object>.+)\/lifecycle\/(?<verb>activate|deactivate)$/.exec(path)?.groups;
  const support = /^\/api\/v1\/org\/privacy\/oktaSupport\/(?<action>grant|extend|revoke)$/.exec(path)?.groups;
  const methods = /^\/api\/v1\/authenticators\/(?<id>[^/]+)\/methods$/.exec(path)?.groups;

  if (method === 'GET') {
    if (path === '/api/v1/iam/assignees/users') return assignees(deps, query);
    if (path === '/api/v1/org/privacy/oktaSupport/cases') {
      return { status: 200, body: { supportCases: model.list(path) } };
    }
    if (methods) {
      const authenticator = model.get(`/api/v1/authenticators/${methods['id']}`);
      if (!authenticator) throw notFound(path, 'Authenticator');
      return {
        status: 200,
        body: (METHODS_BY_KEY[String(authenticator['key'])] ?? []).map((type) => ({
          type,
          status: authenticator['status'],
          _links: { self: { href: `${path}/${type}` } },
        })),
      };
    }
    const at = model.locate(path);
    if (!at) throw notFound(path);
    if (at.kind !== 'collection') return { status: 200, body: model.get(path) };
    const selected = selectObjects(at.family.name, model.list(path), query);
    const paging = PAGING[at.family.name];
    if (!paging) return { status: 200, body: selected, links: {} };
    const { page, next } = pageOf(selected, (o) => String(o[at.family.idKey]), query, paging);
    return { status: 200, body: page, links: next === undefined ? {} : { next } };
  }

  if (method === 'POST') {
    if (lifecycle) {
      const object = writer.lifecycle(lifecycle['object']!, lifecycle['verb'] as 'activate' | 'deactivate');
      const family = model.locate(lifecycle['object']!)?.family.name;
      if (family === 'policy' || family === 'policy-rule') return { status: 204 };
      return { status: 200, body: family === 'app' ? {} : object };
    }
    if (path === '/api/v1/threats/configuration')
      return { status: 200, body: writer.updateThreatInsight(body) };
    if (support)
      return { status: 200, body: writer.supportAccess(support['action'] as 'grant' | 'extend' | 'revoke') };
    // Okta answers 201 for a user's new role and 200 for a group's or a client's (its specification).
    if (/\/roles$/.test(path)) {
      return { status: path.startsWith('/api/v1/users/') ? 201 : 200, body: writer.assignRole(path, body) };
    }
    // Okta's API cannot make API tokens (the Admin Console does: POST /sim/api-tokens stands in).
    if (path === '/api/v1/api-tokens') throw methodNotAllowed(method, path);
    return { status: 200, body: writer.create(path, body) };
  }
  if (method === 'PUT') return { status: 200, body: writer.replace(path, body) };
  if (method === 'DELETE') {
    if (/\/roles\/[^/]+$/.test(path)) writer.unassignRole(path);
    else writer.remove(path);
    return { status: 204 };
  }
  if (method === 'PATCH' && /^\/api\/v1\/org\/privacy\/oktaSupport\/cases\/[^/]+$/.test(path)) {
    return { status: 200, body: writer.updateSupportCase(path, body) };
  }
  throw methodNotAllowed(method, path);
}

const methodNotAllowed = (method: string, path: string) =>
  new OktaApiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method', [
    `${method} ${path}`,
  ]);

/** `GET /api/v1/iam/assignees/users`: users holding a role directly, `{value, _links}`. */
function assignees(deps: ConfigRouteDeps, query: URLSearchParams): Answer {
  const orgId = String(deps.model.get('/api/v1/org')!['id']);
  const users = deps.model
    .collectionsMatching(/^\/api\/v1\/users\/[^/]+\/roles$/)
    .map((collection) => collection.split('/')[4]!);
  const { page, next } = pageOf(users, (id) => id, query, PAGING.assignees!);
  const nextHref = next === undefined ? undefined : `/api/v1/iam/assignees/users?${withAfter(query, next)}`;
  return {
    status: 200,
    body: {
      value: page.map((id) => ({
        id,
        orn: `orn:okta:directory:${orgId}:users:${id}`,
        _links: { self: { href: `/api/v1/users/${id}` }, roles: { href: `/api/v1/users/${id}/roles` } },
      })),
      _links: nextHref === undefined ? {} : { next: { href: nextHref } },
    },
    links: next === undefined ? {} : { next },
  };
}

const withAfter = (query: URLSearchParams, after: string) => {
  const q = new URLSearchParams(query);
  q.set('after', after);
  return q.toString();
};

/** `_links` hold paths in the model; answers carry them as absolute URLs of this server, as Okta does. */
function absoluteLinks(value: unknown, base: string, inLinks = false): unknown {
  if (Array.isArray(value)) return value.map((v) => absoluteLinks(v, base, inLinks));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) =>
      inLinks && key === 'href' && typeof v === 'string' && v.startsWith('/')
        ? [key, base + v]
        : [key, absoluteLinks(v, base, inLinks || key === '_links' || key === '_link')],
    ),
  );
}
