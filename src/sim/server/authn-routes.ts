import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import type { AuthnRequest } from '../authn/authn-events.js';
import { PerUserRateLimited, type AuthnAnswer, type AuthnService } from '../authn/authn-service.js';
import type { AuthnUsers } from '../authn/authn-users.js';
import type { Enforcement } from '../authn/enforcement.js';
import type { LogSuppression } from '../authn/log-suppression.js';
import { OktaApiError } from '../errors.js';
import { requestId } from '../org/okta-ids.js';
import { useOktaJson } from './okta-json-scope.js';

export interface AuthnRouteDeps {
  readonly service: AuthnService;
  readonly users: AuthnUsers;
  readonly enforcement: Enforcement;
  readonly suppression: LogSuppression;
  readonly random: Random;
  readonly now: () => number;
  readonly apiTokens: ReadonlySet<string>;
  /** Serve `/sim/users`, `/sim/enforcement`, `/sim/log-suppression` and honour `X-Sim-Client-IP`. */
  readonly control: boolean;
  /** Read the client address from `X-Forwarded-For` (the simulator sits behind a proxy it trusts). */
  readonly trustForwardedFor: boolean;
}

const MAX_USER_AGENT = 1_000;

/**
 * Okta's Classic Authentication API (`/api/v1/authn`, factor verify, cancel), the user reads and
 * unlock canary probes need, and with `control` the endpoints that make canary users and switch
 * enforcement and log suppression (docs/simulator-config.md, "Authentication API and enforcement
 * controls").
 */
export function registerAuthnRoutes(app: FastifyInstance, deps: AuthnRouteDeps): void {
  void app.register(async (scope) => {
    useOktaJson(scope, deps.random, (e) => (e instanceof PerUserRateLimited ? e.headers : undefined));

    const send = (reply: FastifyReply, answer: AuthnAnswer) =>
      reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .header('content-type', 'application/json')
        .send(JSON.stringify(answer.body));
    const open =
      (run: (request: FastifyRequest, seen: AuthnRequest) => AuthnAnswer) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        reply.header('x-okta-request-id', requestId(deps.random));
        return send(reply, run(request, seen(request, deps)));
      };
    const withToken =
      (run: (request: FastifyRequest, seen: AuthnRequest) => AuthnAnswer) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        reply.header('x-okta-request-id', requestId(deps.random));
        if (!authorized(request.headers.authorization, deps))
          throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
        return send(reply, run(request, seen(request, deps)));
      };
    const param = (request: FastifyRequest, name: string) =>
      (request.params as Record<string, string>)[name]!;

    scope.post(
      '/api/v1/authn',
      open((request, s) => deps.service.primary(request.body, s)),
    );
    scope.post(
      '/api/v1/authn/factors/:factorId/verify',
      open((request, s) => deps.service.verify(param(request, 'factorId'), request.body, s)),
    );
    scope.post(
      '/api/v1/authn/cancel',
      open((request) => deps.service.cancel(request.body)),
    );
    scope.get(
      '/api/v1/users/:userId',
      withToken((request) => deps.service.user(param(request, 'userId'))),
    );
    scope.post(
      '/api/v1/users/:userId/lifecycle/unlock',
      withToken((request, s) => deps.service.unlock(param(request, 'userId'), s)),
    );
    if (!deps.control) return;
    scope.post(
      '/sim/users',
      withToken((request) => ({ status: 201, body: deps.users.create(request.body) })),
    );
    scope.post(
      '/sim/enforcement',
      withToken((request) => {
        deps.enforcement.apply(request.body);
        return { status: 200, body: deps.enforcement.describe() };
      }),
    );
    scope.post(
      '/sim/log-suppression',
      withToken((request) => {
        deps.suppression.apply(request.body, deps.now());
        return { status: 200, body: deps.suppression.describe() };
      }),
    );
  });
}

function authorized(header: string | undefined, deps: AuthnRouteDeps): boolean {
  const [scheme, token] = (header ?? '').split(' ', 2);
  return scheme === 'SSWS' && token !== undefined && deps.apiTokens.has(token);
}

/**
 * The address and user agent the simulator sees: the TCP peer, or with `control` the address a test
 * names in `X-Sim-Client-IP`, or with `trustForwardedFor` the first address of `X-Forwarded-For`.
 */
function seen(request: FastifyRequest, deps: AuthnRouteDeps): AuthnRequest {
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const named = deps.control ? header('x-sim-client-ip') : undefined;
  if (named !== undefined && isIP(named) === 0) {
    throw new OktaApiError(400, 'E0000001', 'Api validation failed: X-Sim-Client-IP', [
      `X-Sim-Client-IP: '${named.slice(0, 64)}' is not an IP address`,
    ]);
  }
  const forwarded = deps.trustForwardedFor ? header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const peer = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const ip = named ?? (forwarded && isIP(forwarded) !== 0 ? forwarded : peer);
  return {
    ip,
    userAgent: (header('user-agent') ?? '').slice(0, MAX_USER_AGENT),
    path: new URL(request.url, 'http://sim.invalid').pathname,
  };
}
