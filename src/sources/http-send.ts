import type { Readable } from 'node:stream';
import { request } from 'undici';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
) => Promise<{ readonly status: number; readonly headers: Headers; readonly body: Readable }>;

/** `HttpSend` over undici. */
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
