import { createSocket } from 'node:dgram';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyslogSink } from '../../../src/alerts/sinks/syslog-sink.js';
import { sendSyslog } from '../../../src/alerts/sinks/syslog-transport.js';
import { syslogMessage } from '../../../src/alerts/sinks/syslog-message.js';
import { expectCode } from '../../support/expect-code.js';
import { buildAlert } from '../build-alert.js';
import { deframeOctetCounted, parseRfc5424 } from './parse-rfc5424.js';
import { startRsyslog, type RsyslogReceiver } from './rsyslog-receiver.js';
import { makeTestCertificate } from './test-certificate.js';
import { waitForFile } from './wait-for-file.js';

const FORMAT = { hostname: 'vigil-host', appName: 'vigil', facility: 10 };
const alert = buildAlert({ description: 'Reset "MFA" for a\\b [x] then ] closed' });

/** Collects the whole byte stream of each connection; resolves each time one closes. */
function streamReceiver(server: Server, event = 'connection'): () => Promise<Buffer> {
  const queue: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  server.on(event, (socket: Socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      socket.end();
      const all = Buffer.concat(chunks);
      const waiter = waiters.shift();
      if (waiter) waiter(all);
      else queue.push(all);
    });
  });
  return () => {
    const ready = queue.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
  };
}

describe('syslog over loopback node:dgram/net/tls receivers, parsed per RFC 5424', () => {
  it('UDP: one datagram per message with PRI authpriv.err for a high alert', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const received = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    const sink = new SyslogSink({
      endpoint: { protocol: 'udp', host: '127.0.0.1', port: socket.address().port },
      format: FORMAT,
    });
    await sink.send(alert);
    const parsed = parseRfc5424((await received).toString('utf8'));
    socket.close();
    expect(parsed.pri).toBe(10 * 8 + 3);
    expect(parsed).toMatchObject({
      version: 1,
      hostname: 'vigil-host',
      appName: 'vigil',
      procId: '-',
      msgId: alert.ruleId,
    });
    expect(parsed.timestamp).toBe('2026-03-01T10:05:00.000Z');
    expect(parsed.hadBom).toBe(true);
    expect(parsed.msg).toBe(`${alert.title}: ${alert.description}`);
    expect(parsed.sd['vigil@32473']).toMatchObject({
      alertId: alert.id,
      severity: 'high',
      events: 'evt-1,evt-2',
    });
  });

  it('TCP: octet-counting framing keeps several messages apart', async () => {
    const server = createTcpServer();
    const next = streamReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = {
      protocol: 'tcp' as const,
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
    };
    const critical = buildAlert({ id: 'a-2', severity: 'critical', description: 'line one\nline two' });
    await sendSyslog(endpoint, [syslogMessage(alert, FORMAT), syslogMessage(critical, FORMAT)]);
    const messages = deframeOctetCounted(await next()).map(parseRfc5424);
    server.close();
    expect(messages.map((m) => m.pri)).toEqual([83, 82]);
    expect(messages[1]?.sd['vigil@32473']?.['alertId']).toBe('a-2');
  });

  it('TLS: verifies the receiver certificate against the configured CA and delivers', async () => {
    const cert = makeTestCertificate();
    const server = createTlsServer({ key: cert.key, cert: cert.cert });
    const next = streamReceiver(server as unknown as Server, 'secureConnection');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const trusted = new SyslogSink({
      endpoint: { protocol: 'tls', host: '127.0.0.1', port, tls: { ca: cert.cert } },
      format: FORMAT,
    });
    await trusted.send(alert);
    const [message] = deframeOctetCounted(await next());
    expect(parseRfc5424(message ?? '').sd['vigil@32473']?.['alertId']).toBe(alert.id);
    const untrusted = new SyslogSink({
      endpoint: { protocol: 'tls', host: '127.0.0.1', port },
      format: FORMAT,
    });
    await expectCode(untrusted.send(alert), 'SINK_DELIVERY_FAILED');
    server.close();
  });

  it('CEF payload escapes header pipes and extension equals signs and newlines', async () => {
    const tricky = buildAlert({ title: 'a|b\\c', description: 'x=y\nz' });
    const parsed = parseRfc5424(syslogMessage(tricky, { ...FORMAT, cef: true }));
    expect(parsed.hadBom).toBe(false);
    expect(parsed.msg.startsWith('CEF:0|Vigil|Vigil|0.1.0|vigil.support.impersonation|a\\|b\\\\c|8|')).toBe(
      true,
    );
    expect(parsed.msg).toContain('msg=x\\=y\\nz');
    expect(parsed.msg).toContain('externalId=a-0123456789ab');
  });

  it('refuses delivery to a port nobody listens on', async () => {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const sink = new SyslogSink({ endpoint: { protocol: 'tcp', host: '127.0.0.1', port }, format: FORMAT });
    expect((await expectCode(sink.send(alert), 'SINK_DELIVERY_FAILED')).category).toBe('external');
  });
});

// Needs rsyslogd and its TLS driver. Where they are missing (or rsyslogd does not start) every test
// here fails with startRsyslog's error, which names the packages to install; none is skipped.
describe('syslog into a real rsyslogd (Debian rsyslog, rsyslog-openssl)', () => {
  let rsyslog: RsyslogReceiver | undefined;
  let unavailable: unknown;
  beforeAll(async () => {
    rsyslog = await startRsyslog().catch((error: unknown) => {
      unavailable = error;
      return undefined;
    });
  });
  afterAll(() => rsyslog?.stop());
  const receiver = (): RsyslogReceiver => {
    if (!rsyslog) throw unavailable;
    return rsyslog;
  };

  const deliveredLine = async (id: string): Promise<string> => {
    const content = await waitForFile(receiver().outputFile, (c) => c.includes(`alertId="${id}"`));
    const line = content.split('\n').find((l) => l.includes(`alertId="${id}"`));
    return line ?? '';
  };

  it.each(['udp', 'tcp', 'tls'] as const)(
    'rsyslog parses what arrives over %s as the same RFC 5424 message',
    async (protocol) => {
      const { udpPort, tcpPort, tlsPort, caCert } = receiver();
      const port = { udp: udpPort, tcp: tcpPort, tls: tlsPort }[protocol];
      const sent = buildAlert({
        id: `a-rsyslog-${protocol}`,
        severity: 'medium',
        description: 'quote " and ] inside',
      });
      const sink = new SyslogSink({
        endpoint: { protocol, host: '127.0.0.1', port, tls: { ca: caCert, servername: 'localhost' } },
        format: FORMAT,
      });
      await sink.send(sent);
      const parsed = parseRfc5424(await deliveredLine(sent.id));
      expect(parsed.pri).toBe(10 * 8 + 4);
      expect(parsed).toMatchObject({ hostname: 'vigil-host', appName: 'vigil', msgId: sent.ruleId });
      expect(parsed.sd['vigil@32473']).toMatchObject({ alertId: sent.id, severity: 'medium', count: '1' });
      expect(parsed.msg).toBe(`${sent.title}: ${sent.description}`);
    },
  );

  it('rsyslog receives a CEF payload intact over TCP', async () => {
    const sent = buildAlert({ id: 'a-rsyslog-cef', severity: 'critical' });
    const sink = new SyslogSink({
      endpoint: { protocol: 'tcp', host: '127.0.0.1', port: receiver().tcpPort },
      format: { ...FORMAT, cef: true },
    });
    await sink.send(sent);
    const parsed = parseRfc5424(await deliveredLine(sent.id));
    expect(parsed.pri).toBe(82);
    expect(parsed.msg).toMatch(/^CEF:0\|Vigil\|Vigil\|[^|]+\|vigil\.support\.impersonation\|[^|]+\|10\|/);
  });
});
