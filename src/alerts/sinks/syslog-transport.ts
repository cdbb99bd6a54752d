import { createSocket } from 'node:dgram';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { VigilError } from '../../core/vigil-error.js';
import type { SinkErrorCode } from './errors.js';

export type SyslogProtocol = 'udp' | 'tcp' | 'tls';

export interface SyslogEndpoint {
  readonly protocol: SyslogProtocol;
  readonly host: string;
  readonly port: number;
  /** TLS only: CA, client certificate, servername, etc. Server certificates are verified by default. */
  readonly tls?: ConnectionOptions;
  readonly timeoutMs?: number;
}

/**
 * RFC 6587 §3.4.1 octet counting, also RFC 5425 §4.3 for TLS: `MSG-LEN SP SYSLOG-MSG`, where the
 * length counts octets, not characters. Framing by length keeps multi-line messages intact.
 */
export function octetCountingFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

const failure = (endpoint: SyslogEndpoint, cause: unknown): VigilError<SinkErrorCode> =>
  new VigilError<SinkErrorCode>(
    'SINK_DELIVERY_FAILED',
    `syslog ${endpoint.protocol}://${endpoint.host}:${endpoint.port}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { category: 'external', cause },
  );

/** RFC 5426 §3.1: one syslog message per UDP datagram, no framing. */
function sendUdp(endpoint: SyslogEndpoint, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(endpoint.host.includes(':') ? 'udp6' : 'udp4');
    socket.send(Buffer.from(message, 'utf8'), endpoint.port, endpoint.host, (error) => {
      socket.close();
      if (error) reject(failure(endpoint, error));
      else resolve();
    });
  });
}

/**
 * TCP and TLS: one connection per batch, written, then half-closed; resolves once the receiver
 * has closed its side too, so the bytes were read (a plain write callback only means "buffered").
 */
function sendStream(endpoint: SyslogEndpoint, frames: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    const onConnect = () => socket.end(frames);
    if (endpoint.protocol === 'tls') {
      // RFC 6066 §3: SNI carries host names only, never IP literals.
      const servername = isIP(endpoint.host) ? undefined : endpoint.host;
      socket = tlsConnect(
        { host: endpoint.host, port: endpoint.port, ...(servername ? { servername } : {}), ...endpoint.tls },
        onConnect,
      );
    } else {
      socket = netConnect({ host: endpoint.host, port: endpoint.port }, onConnect);
    }
    socket.setTimeout(endpoint.timeoutMs ?? 10_000, () => socket.destroy(new Error('timed out')));
    socket.on('error', (error) => reject(failure(endpoint, error)));
    socket.on('close', (hadError) => {
      if (!hadError) resolve();
    });
    // Half-close from the receiver ends the exchange; we read nothing it might send.
    socket.on('data', () => undefined);
    socket.on('end', () => socket.destroy());
  });
}

export function sendSyslog(endpoint: SyslogEndpoint, messages: readonly string[]): Promise<void> {
  if (endpoint.protocol === 'udp')
    return messages.reduce((p, m) => p.then(() => sendUdp(endpoint, m)), Promise.resolve());
  return sendStream(endpoint, Buffer.concat(messages.map(octetCountingFrame)));
}
