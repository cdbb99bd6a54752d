import { undiciSend, type HttpResponse } from './http-send.js';

/**
 * The network, injected: a GET that neither follows redirects nor decompresses, so the adapter
 * sees exactly what the provider sent and bounds it itself (bounded-body.ts). The request must stop
 * when `signal` aborts, body included.
 */
export type HttpGet = (
  url: string,
  init: { readonly headers: Readonly<Record<string, string>>; readonly signal: AbortSignal },
) => Promise<HttpResponse>;

/** `HttpGet` over undici (http-send.ts). */
export const undiciGet: HttpGet = (url, { headers, signal }) =>
  undiciSend(url, { method: 'GET', headers, signal });
