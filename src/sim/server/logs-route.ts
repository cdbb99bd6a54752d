import type { OutgoingHttpHeaders } from 'node:http';
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
  /** The last event of recent pages, by the `after` token of their next link (for duplicates). */
  const lastServed = new Map<string, string>();
  const remember = (after: string, text: string) => {
    if (lastServed.size >= REMEMBERED_PAGES) lastServed.delete(lastServed.keys().next().value!);
    lastServed.set(after, text);
  };
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

    const tooMany = 'API call exceeded rate limit due to too many requests.';
    if (random.chance(faults.concurrencyLimitRate ?? 0))
      // okta-api.md §1.7: "The first two header values are always 0 for concurrent rate limit
      // errors"; the reset is an estimate.
      return fail(429, 'E0000047', tooMany, [], {
        'x-rate-limit-limit': '0',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(now / 1000) + 1),
      });
    // Another integration on the org spends the bucket: refused from here to its reset, truthfully.
    if (random.chance(faults.rateLimitStormRate ?? 0)) deps.limiter.drain(now);
    const { allowed, headers } = deps.limiter.take(now);
    if (!allowed) return fail(429, 'E0000047', tooMany, [], headers);
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
      const previous = url.searchParams.get('after');
      const repeated = previous === null ? undefined : lastServed.get(previous);
      // At-least-once: the previous page's last event again at the start of this one.
      if (repeated !== undefined && random.chance(faults.duplicateRate ?? 0)) texts = [repeated, ...texts];
      if (texts.length > 0 && random.chance(faults.duplicateInPageRate ?? 0)) texts = [texts[0]!, ...texts];
      const last = shown.at(-1);
      if (page.nextAfter !== undefined && last) remember(page.nextAfter, last.text);
      let body = `[${texts.join(',')}]`;
      if (random.chance(faults.malformedRate ?? 0)) body = body.replace(/[{]/, '{,');
      reply.header('link', links(url, deps.baseUrl(), query.mode, page.nextAfter));
      if (random.chance(faults.truncateRate ?? 0)) {
        deps.record({ at: now, path: url.pathname + url.search, status: 200 });
        return cutOff(reply, body, headers, random.chance(0.5) ? 'reset' : 'close');
      }
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

const REMEMBERED_PAGES = 1_000;

/**
 * A transfer cut at the HTTP layer: the headers promise the whole body (`content-length`), half of
 * it is sent, then the connection is closed (`close`) or reset (`reset`). The client's read fails;
 * nothing it receives looks like a complete page.
 */
function cutOff(reply: FastifyReply, body: string, headers: Record<string, string>, how: 'close' | 'reset') {
  const bytes = Buffer.from(body, 'utf8');
  void reply.hijack();
  const raw = reply.raw;
  const sent = reply.getHeaders() as OutgoingHttpHeaders;
  raw.writeHead(200, { ...sent, ...headers, 'content-length': String(bytes.length) });
  raw.write(bytes.subarray(0, bytes.length >> 1), () => {
    const socket = raw.socket;
    if (how === 'reset' && socket) socket.resetAndDestroy();
    else socket?.end();
  });
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
