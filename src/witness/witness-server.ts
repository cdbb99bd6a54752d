import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADD_CHECKPOINT_PATH } from './add-checkpoint.js';
import type { Witness, WitnessReply } from './witness-service.js';

/** 63 proof lines and 100 signature lines fit many times over; a larger body is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RunningWitnessServer {
  /** The submission prefix clients configure: `http://<host>:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The witness over HTTP (node:http; no framework for one route): `POST <prefix>/add-checkpoint`.
 * Every request is hostile: the body is capped, read as bytes, and handed to the witness whole.
 */
export function startWitnessServer(
  witness: Witness,
  listen: { host: string; port: number },
  onRequest?: (reply: WitnessReply, remote: string) => void,
): Promise<RunningWitnessServer> {
  const server = createServer((req, res) => {
    handle(witness, req, res, onRequest).catch(() => {
      if (!res.headersSent) send(res, { status: 500, contentType: 'text/plain', body: 'internal error\n' });
      else res.destroy();
    });
  });
  // Keep-alive is the spec's SHOULD; idle sockets must not hold close() up.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(
  witness: Witness,
  req: IncomingMessage,
  res: ServerResponse,
  onRequest: ((reply: WitnessReply, remote: string) => void) | undefined,
): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== ADD_CHECKPOINT_PATH) {
    send(res, { status: 404, contentType: 'text/plain', body: 'not found\n' });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    send(res, { status: 405, contentType: 'text/plain', body: 'use POST\n' });
    return;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) {
      res.setHeader('Connection', 'close');
      send(res, { status: 413, contentType: 'text/plain', body: 'request body too large\n' });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const reply = witness.addCheckpoint(Buffer.concat(chunks));
  onRequest?.(reply, req.socket.remoteAddress ?? '?');
  send(res, reply);
}

function send(res: ServerResponse, reply: { status: number; contentType: string; body: string }): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}
