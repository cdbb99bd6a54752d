import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createRandom } from '../../../src/core/seeded-random.js';
import type { AlertSink } from '../../../src/alerts/sinks/alert-sink.js';
import type { SinkErrorCode } from '../../../src/alerts/sinks/errors.js';
import { buildSink, parseSinkConfig } from '../../../src/alerts/sinks/sink-config.js';
import { expectCode } from '../../support/expect-code.js';
import { buildAlert } from '../build-alert.js';

/**
 * One contract every sink meets (STYLE.md habit 4), each against a real loopback receiver:
 * `send` resolves only once the receiver holds the alert, and a refusing receiver makes it reject
 * with the sink error code that says retrying cannot help.
 */
const received: string[] = [];
let http: Server;
let smtp: SMTPServer;
let udp: ReturnType<typeof createSocket>;
const ports = { http: 0, smtp: 0, udp: 0 };
const udpArrived: (() => void)[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.statusCode = req.url === '/refuse' ? 403 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  ports.http = (http.address() as AddressInfo).port;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(address.address.startsWith('refuse') ? new Error('no such mailbox') : undefined);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  ports.smtp = (smtp.server.address() as AddressInfo).port;
  udp = createSocket('udp4');
  udp.on('message', (m) => {
    received.push(m.toString('utf8'));
    udpArrived.shift()?.();
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  ports.udp = udp.address().port;
});

afterAll(async () => {
  udp.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

interface Case {
  readonly name: string;
  readonly config: () => unknown;
  /**
   * A receiver that refuses, and the code the sink must reject with. `'cannot refuse'` declares that
   * the transport has no way to say no (UDP syslog is fire-and-forget): that case is not made for it.
   */
  readonly refusing: { readonly config: () => unknown; readonly code: SinkErrorCode } | 'cannot refuse';
  /** UDP has no acknowledgement: wait for the datagram before checking receipt. */
  readonly arrival?: () => Promise<void>;
}

const fast = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 };
const emailConfig = () => ({
  type: 'email',
  host: '127.0.0.1',
  port: ports.smtp,
  security: 'none',
  from: 'v@example.com',
  to: ['soc@example.com'],
});
const CASES: Case[] = [
  {
    name: 'webhook',
    config: () => ({
      type: 'webhook',
      url: `http://127.0.0.1:${ports.http}/ok`,
      secret: { env: 'S' },
      retry: fast,
    }),
    refusing: {
      config: () => ({
        type: 'webhook',
        url: `http://127.0.0.1:${ports.http}/refuse`,
        secret: { env: 'S' },
        retry: fast,
      }),
      code: 'SINK_REJECTED',
    },
  },
  {
    name: 'slack',
    config: () => ({ type: 'slack', webhookUrl: { env: 'SLACK_OK' }, retry: fast }),
    refusing: {
      config: () => ({ type: 'slack', webhookUrl: { env: 'SLACK_REFUSE' }, retry: fast }),
      code: 'SINK_REJECTED',
    },
  },
  {
    name: 'email',
    config: () => emailConfig(),
    refusing: {
      // The same server, to a recipient it refuses.
      config: () => ({ ...emailConfig(), to: ['refuse@example.com'] }),
      code: 'SINK_REJECTED',
    },
  },
  {
    name: 'syslog udp',
    config: () => ({ type: 'syslog', protocol: 'udp', host: '127.0.0.1', port: ports.udp }),
    refusing: 'cannot refuse',
    arrival: () => new Promise((resolve) => udpArrived.push(resolve)),
  },
];

const build = (config: unknown): AlertSink =>
  buildSink(parseSinkConfig(config), {
    env: {
      S: 'secret',
      SLACK_OK: `http://127.0.0.1:${ports.http}/ok`,
      SLACK_REFUSE: `http://127.0.0.1:${ports.http}/refuse`,
    },
    baseDir: '.',
    clock: new ManualClock(0),
    random: createRandom(3),
  }).sink;

describe.each(CASES)('AlertSink contract: $name', (c) => {
  it('has a name and delivers the alert id to the receiver', async () => {
    const sink = build(c.config());
    expect(sink.name).not.toBe('');
    const id = `a-contract-${c.name.replace(/\W/g, '')}`;
    const arrived = c.arrival?.();
    await sink.send(buildAlert({ id }));
    await arrived;
    expect(received.some((r) => r.includes(id))).toBe(true);
  });

  const refusing = c.refusing;
  if (refusing !== 'cannot refuse')
    it(`rejects with ${refusing.code} when the receiver refuses`, async () => {
      await expectCode(build(refusing.config()).send(buildAlert()), refusing.code);
    });
});
