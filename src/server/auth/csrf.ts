import type { FastifyRequest } from 'fastify';
import { sameSecret } from './opaque-secret.js';

export const CSRF_HEADER = 'x-csrf-token';
/** The form field pages without script send the token in. */
export const CSRF_FIELD = '_csrf';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const changesState = (method: string): boolean => STATE_CHANGING.has(method.toUpperCase());

/**
 * Whether a state-changing request came from the console's own pages. Two checks (OWASP CSRF
 * cheat sheet): a request whose `Origin` is another origin, or whose `Sec-Fetch-Site` says
 * cross-site, is refused whoever sent it; and with a session, the session's token must come back in
 * the `x-csrf-token` header or the `_csrf` form field (synchronizer token; SameSite=Strict is
 * defence in depth, not the control). API-token requests carry no cookie, so a browser cannot be
 * tricked into sending one.
 */
export function csrfProblem(
  request: FastifyRequest,
  origin: string,
  sessionToken: string | undefined,
): string | undefined {
  const from = request.headers.origin;
  // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with a form's POST (Fetch
  // standard, "append a request Origin header"): then Sec-Fetch-Site, which no page can set, decides.
  if (from !== undefined && from !== 'null' && from !== origin)
    // Both origins named: the usual cause is the console opened at another address than its serve URL.
    return `the request came from ${JSON.stringify(from.slice(0, 200))}, not from the console's origin ${origin}`;
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'the request came from another site';
  if (sessionToken === undefined) return undefined;
  const header = request.headers[CSRF_HEADER];
  const body = request.body;
  const field =
    body !== null && typeof body === 'object' && CSRF_FIELD in body
      ? (body as Record<string, unknown>)[CSRF_FIELD]
      : undefined;
  const sent = typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
  if (sent === undefined) return `the request has no ${CSRF_HEADER} header or ${CSRF_FIELD} field`;
  return sameSecret(sent, sessionToken) ? undefined : `the request's CSRF token is not its session's`;
}
