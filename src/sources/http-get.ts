import type { Readable } from 'node:stream';
import { undiciSend } from './http-send.js';

/** One HTTP response as a source adapter reads it: nothing decoded, nothing followed. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body exactly as it came off the wire (still compressed if the provider compressed it). */
  readonly body: Readable;
}

/**
 * The network, injected: a GET that neither follows redirects nor decompresses, so the adapter
 * sees exactly what the provider sent and bounds it itself (bounded-body.ts). The request must stop
 * when `signal` aborts, body included.
 */
export type HttpGet = (
  url: string,
  init: { readonly headers: Readonly<Record<string, string>>; readonly signal: AbortSignal },
) => Promise<HttpResponse>;

/**
 * undici's `request`: it returns a 3xx as it is (no redirect is followed) and leaves the body
 * encoded, unlike `fetch`, which follows redirects and inflates a body before anyone can count it.
 * The caller's signal is the only timeout (it covers connect, headers and the whole body); undici's
 * own per-phase timeouts are left at their defaults as a backstop.
 */
export const undiciGet: HttpGet = (url, { headers, signal }) =>
  undiciSend(url, { method: 'GET', headers, signal });
