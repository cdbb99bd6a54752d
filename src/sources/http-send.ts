import type { Readable } from 'node:stream';
import { request } from 'undici';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP response as a source adapter reads it: nothing decoded, nothing followed. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body exactly as it came off the wire (still compressed if the provider compressed it). */
  readonly body: Readable;
}

/**
 * The network for the providers' adapters: one request, no redirect followed, the body left encoded
 * for the caller's bounded reader (bounded-body.ts). Tests give the adapters their own.
 */
export type HttpSend = (
  url: string,
  init: {
    readonly method: HttpMethod;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly signal: AbortSignal;
  },
) => Promise<HttpResponse>;

/**
 * `HttpSend` over undici's `request`: it returns a 3xx as it is (no redirect is followed) and leaves
 * the body encoded, unlike `fetch`, which follows redirects and inflates a body before anyone can
 * count it. The caller's signal is the only timeout (it covers connect, headers and the whole body);
 * undici's own per-phase timeouts are left at their defaults as a backstop.
 */
export const undiciSend: HttpSend = async (url, { method, headers, body, signal }) => {
  const response = await request(url, {
    method,
    headers: { ...headers },
    ...(body === undefined ? {} : { body }),
    signal,
    maxRedirections: 0,
  });
  const out = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  // A body the adapter discards (destroy) errors with AbortError; whoever reads it sees errors through
  // the stream, so none may surface as uncaught.
  response.body.on('error', () => undefined);
  return { status: response.statusCode, headers: out, body: response.body };
};
