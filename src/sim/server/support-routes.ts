import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import { OktaApiError } from '../errors.js';
import type { SupportDesk } from '../support/support-desk.js';
import { useOktaJson } from './okta-json-scope.js';

export interface SupportRouteDeps {
  readonly desk: SupportDesk;
  readonly random: Random;
  readonly apiTokens: ReadonlySet<string>;
}

/**
 * With `vigil sim --control`, Okta Support's side of the org (docs/simulator-response.md):
 * `POST /sim/support-cases` opens a case (`{subject?, selfAssigned?}`, 201 with the case) and
 * `POST /sim/support-activity` plays one agent action (`{action, caseNumber?, user?, supportAction?}`,
 * 201 with the System Log event written). The customer's side (list cases, PATCH a case, grant,
 * extend, revoke) is Okta's own API, served by the configuration routes.
 */
export function registerSupportRoutes(app: FastifyInstance, deps: SupportRouteDeps): void {
  void app.register(async (scope) => {
    useOktaJson(scope, deps.random);
    const control =
      (run: (body: unknown) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
        const [scheme, token] = (request.headers.authorization ?? '').split(' ', 2);
        if (scheme !== 'SSWS' || token === undefined || !deps.apiTokens.has(token))
          throw new OktaApiError(401, 'E0000011', 'Invalid token provided');
        return reply
          .code(201)
          .header('content-type', 'application/json')
          .send(JSON.stringify(run(request.body)));
      };
    scope.post(
      '/sim/support-cases',
      control((body) => deps.desk.openCase(body)),
    );
    scope.post(
      '/sim/support-activity',
      control((body) => deps.desk.act(body)),
    );
  });
}
