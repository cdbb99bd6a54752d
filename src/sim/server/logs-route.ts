import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Random } from '../../core/seeded-random.js';
import { OktaApiError, type OktaErrorBody } from '../errors.js';
import type { FaultOptions } from '../faults.js';
import type { SimLogStore } from '../log-store.js';
import { requestId } from '../org/okta-ids.js';
import { parseLogQuery, runLogQuery } from '../query/log-query.js';
import type { MinuteRateLimiter } from '../rate-limiter.js';

export interface LogsRouteDeps {
  readonly store: SimLogStore;
  readonly now: () => number;
  /** Makes sure generated traffic reaches the current time before a query runs. */
  readonly catchUp: () => void;
  readonly baseUrl: () => string;
  readonly apiTokens: ReadonlySet<string>;
  readonly oauthTokens: ReadonlyMap<string, readonly string[]>;
  readonly limiter: MinuteRateLimiter;
  readonly faults: FaultOptions;
  readonly random: Random;
  readonly record: (entry: { at: number; path: string; status: number }) => void;
}

export function errorBody(
  random: Random,
  code: string,
  summary: string,
  causes: readonly string[] = [],
): OktaErrorBody {
  return {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: 'oae' + random.chars(22, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'),
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
}

/** `GET /api/v1/logs`, as research/okta-api.md §1 documents it. */
export function registerLogsRoute(app: FastifyInstance, deps: LogsRouteDeps): void {
  const { random, faults } = deps;
  app.get('/api/v1/logs', async (request, reply) => {
    const now = deps.now();
    const url = new URL(request.url, deps.baseUrl());
    reply.header('x-okta-request-id', requestId(random));
    reply.header('content-type', 'application/json');
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      deps.record({ at: now, path: url.pathname + url.search, status });
      return reply.code(status).headers(headers).send(body);
    };
    const fail = (
      status: number,
      code: string,
      summary: string,
      causes: readonly string[] = [],
      headers = {},
    ) => send(status, JSON.stringify(errorBody(random, code, summary, causes)), headers);

    const auth = authorize(request.headers.authorization, deps);
    if (auth) return fail(auth.status, auth.code, auth.summary);

    const { allowed, headers } = deps.limiter.take(now);
    if (!allowed)
      return fail(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers);
    if (random.chance(faults.rateLimitStormRate ?? 0)) {
      return fail(
        429,
        'E0000047',
        'API call exceeded rate limit due to too many requests.',
        [],
        deps.limiter.headers(0),
      );
    }
    if (random.chance(faults.serverErrorRate ?? 0)) {
      return random.chance(0.5)
        ? fail(
            500,
            'E0000009',
            'Internal Server Error',
            ['Your last request took too long to complete. This is likely due to a load issue on our side.'],
            headers,
          )
        : send(503, '<html><body>Service Unavailable</body></html>', headers);
    }
    if (random.chance(faults.slowRate ?? 0)) await realDelay(faults.slowMs ?? 1_000, reply);

    try {
      deps.catchUp();
      const query = parseLogQuery(url.searchParams, now);
      const page = runLogQuery(deps.store, query, now);
      const skipFrom = now - (faults.pollingSkipWindowMs ?? 10 * 60_000);
      const shown =
        query.mode === 'polling' && (faults.pollingSkipRate ?? 0) > 0
          ? page.events.filter((h) => h.publishedMs < skipFrom || !random.chance(faults.pollingSkipRate ?? 0))
          : page.events;
      let texts = shown.map((h) => h.text);
      if (texts.length > 0 && random.chance(faults.duplicateRate ?? 0)) {
        // The same event on two pages: repeat an event this client has seen before.
        texts = [texts[0]!, ...texts];
      }
      let body = `[${texts.join(',')}]`;
      if (random.chance(faults.truncateRate ?? 0)) body = body.slice(0, Math.floor(body.length / 2));
      else if (random.chance(faults.malformedRate ?? 0)) body = body.replace(/[{]/, '{,');
      reply.header('link', links(url, deps.baseUrl(), query.mode, page.nextAfter));
      return send(200, body, headers);
    } catch (error) {
      if (error instanceof OktaApiError)
        return fail(error.status, error.errorCode, error.summary, error.causes, headers);
      throw error;
    }
  });
}

function authorize(header: string | undefined, deps: LogsRouteDeps) {
  const invalid = { status: 401, code: 'E0000011', summary: 'Invalid token provided' };
  if (!header) return invalid;
  const [scheme, token] = header.split(' ', 2);
  if (scheme === 'SSWS' && token && deps.apiTokens.has(token)) return undefined;
  if (scheme === 'Bearer' && token && deps.oauthTokens.has(token)) {
    return deps.oauthTokens.get(token)!.includes('okta.logs.read')
      ? undefined
      : {
          status: 403,
          code: 'E0000006',
          summary: 'You do not have permission to perform the requested action',
        };
  }
  return invalid;
}

/**
 * Okta sends `self` always and `next` on every polling page (even empty) and on every bounded page
 * but the last, as two separate `link` header lines (okta-api.md §1.4). Polling next links keep
 * `limit`, `filter` and `q` and drop `since`; bounded ones keep everything.
 */
function links(url: URL, base: string, mode: 'polling' | 'bounded', nextAfter: string | undefined): string[] {
  const self = `<${base}${url.pathname}${url.search}>; rel="self"`;
  if (nextAfter === undefined) return [self];
  const next = new URLSearchParams();
  for (const [k, v] of url.searchParams) {
    if (k === 'after') continue;
    if (mode === 'polling' && (k === 'since' || k === 'until')) continue;
    next.append(k, v);
  }
  next.set('after', nextAfter);
  return [self, `<${base}${url.pathname}?${next.toString()}>; rel="next"`];
}

/** A slow-response fault: real wall time, so a client's real timeout fires. */
function realDelay(ms: number, reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    reply.raw.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
