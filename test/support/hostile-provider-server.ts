import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** One request as the hostile provider saw it. */
export interface SeenRequest {
  readonly url: string;
  readonly authorization: string | undefined;
}

/** What the provider does with request number `n` (0-based); `base` is its own origin. */
export type ProviderScript = (req: IncomingMessage, res: ServerResponse, n: number, base: string) => void;

export interface HostileProvider {
  /** The org URL to configure the source with, e.g. http://127.0.0.1:54321. */
  readonly url: string;
  readonly requests: SeenRequest[];
}

/**
 * A compromised or spoofed provider for tests (issue 19): a real HTTP server on loopback, port 0,
 * that answers each request as the test's script says (endless bodies, bombs, stalls, lies about
 * rate limits, rewritten history). It records every request, and closes itself, connections and
 * all, when the test finishes.
 */
export async function hostileProvider(script: ProviderScript): Promise<HostileProvider> {
  const requests: SeenRequest[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.on('error', () => undefined);
    script(req, res, requests.length - 1, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: base, requests };
}

/** A System Log page: 200, JSON, the events' text joined as given, and a next link if any. */
export function sendPage(res: ServerResponse, events: readonly string[], next?: string): void {
  res.setHeader('content-type', 'application/json');
  if (next !== undefined) res.setHeader('link', `<${next}>; rel="next"`);
  res.end(`[${events.join(',')}]`);
}

/** Writes `chunk` for as long as the client reads (an endless chunked body). */
export function sendForever(res: ServerResponse, chunk: Buffer | string): void {
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}
