import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import { OktaApiError } from '../errors.js';
import { requestId } from '../org/okta-ids.js';
import { MinuteRateLimiter } from '../rate-limiter.js';
import type { UserContainment } from '../support/user-containment.js';
import { useOktaJson } from './okta-json-scope.js';

export interface ContainmentRouteDeps {
  readonly containment: UserContainment;
  readonly random: Random;
  readonly now: () => number;
  readonly apiTokens: ReadonlySet<string>;
  /** Requests per minute of the users bucket (Okta's `/api/v1/users*`; default 600). */
  readonly limit?: number;
}

/**
 * The user operations of Okta's management API that containment runs (docs/simulator-response.md):
 * `DELETE /api/v1/users/{userId}/sessions` (204), `POST …/lifecycle/suspend` (200 `{}`),
 * `POST …/lifecycle/reset_factors` (200 `{}`), each inside the users bucket's rate limit. API token
 * revocation, IdP deactivation, policy rule replacement and Okta Support access are the configuration
 * routes' (config-routes.ts), which already write their events.
 */
export function registerContainmentRoutes(app: FastifyInstance, deps: ContainmentRouteDeps): void {
  const limiter = new MinuteRateLimiter(deps.limit ?? 600);
  void app.register(async (scope) => {
    useOktaJson(scope, deps.random, (e) => (e.status === 429 ? limiter.headers() : undefined));
    const route =
      (status: 200 | 204, run: (userId: string, path: string) => void) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        reply.header('x-okta-request-id', requestId(deps.random));
        const [scheme, token] = (request.headers.authorization ?? '').split(' ', 2);
        if (scheme !== 'SSWS' || token === undefined || !deps.apiTokens.has(token))
          throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
        const { allowed, headers } = limiter.take(deps.now());
        reply.headers(headers);
        if (!allowed)
          throw new OktaApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
        const path = new URL(request.url, 'http://sim.invalid').pathname;
        run((request.params as { userId: string }).userId, path);
        if (status === 204) return reply.code(204).send();
        return reply.code(200).header('content-type', 'application/json').send('{}');
      };
    scope.delete(
      '/api/v1/users/:userId/sessions',
      route(204, (id, path) => deps.containment.clearSessions(id, path)),
    );
    scope.post(
      '/api/v1/users/:userId/lifecycle/suspend',
      route(200, (id, path) => deps.containment.suspend(id, path)),
    );
    scope.post(
      '/api/v1/users/:userId/lifecycle/reset_factors',
      route(200, (id, path) => deps.containment.resetFactors(id, path)),
    );
  });
}
