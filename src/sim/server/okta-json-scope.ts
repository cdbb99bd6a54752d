import type { FastifyInstance } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import { OktaApiError } from '../errors.js';
import { errorBody } from './logs-route.js';

/**
 * What every JSON route scope of the simulator does the way Okta does: request bodies are hostile
 * (an empty body is no body, bad JSON is Okta's E0000003), and every error answers with Okta's error
 * body (errorCode, errorSummary, errorLink, errorId, errorCauses); a client error Fastify raises
 * itself reads as E0000003, anything else as E0000009. `headersOf` adds an error's own headers
 * (a 429's rate-limit headers).
 */
export function useOktaJson(
  scope: FastifyInstance,
  random: Random,
  headersOf?: (error: OktaApiError) => Record<string, string> | undefined,
): void {
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(new OktaApiError(400, 'E0000003', 'The request body was not well-formed.'), undefined);
    }
  });
  scope.setErrorHandler((error: unknown, _request, reply) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    const e =
      error instanceof OktaApiError
        ? error
        : typeof status === 'number' && status >= 400 && status < 500
          ? new OktaApiError(status, 'E0000003', 'The request body was not well-formed.')
          : new OktaApiError(500, 'E0000009', 'Internal Server Error');
    const headers = headersOf?.(e);
    if (headers) reply.headers(headers);
    void reply
      .code(e.status)
      .header('content-type', 'application/json')
      .send(JSON.stringify(errorBody(random, e.errorCode, e.summary, e.causes)));
  });
}
