import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { EmailSink } from '../../../src/alerts/sinks/email-sink.js';
import { expectCode } from '../../support/expect-code.js';
import { buildAlert } from '../build-alert.js';
import { makeTestCertificate } from './test-certificate.js';

/** RFC 2047 §4 decoding of B- and Q-encoded words, enough to read our own subject line. */
function decodeEncodedWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

interface Delivery {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
  readonly secure: boolean;
  readonly user: string | undefined;
}

/** A real SMTP server (the `smtp-server` library) on loopback that records each message. */
async function startSmtp(options: Partial<SMTPServerOptions>) {
  const deliveries: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: [],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'vigil' && auth.password === 'mail-pass-42')
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        deliveries.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        waiters.shift()?.();
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    server,
    port,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('EmailSink', () => {
  it('delivers over STARTTLS with authentication, verifying the server certificate', async () => {
    const cert = makeTestCertificate();
    const smtp = await startSmtp({ key: cert.key, cert: cert.cert });
    const sink = new EmailSink({
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      from: 'vigil@example.com',
      to: ['soc@example.com', 'oncall@example.com'],
      auth: { user: 'vigil', pass: 'mail-pass-42' },
      ca: cert.cert,
    });
    await sink.send(buildAlert());
    sink.close();
    await smtp.close();
    expect(smtp.deliveries).toHaveLength(1);
    const [mail] = smtp.deliveries;
    expect(mail).toMatchObject({
      from: 'vigil@example.com',
      to: ['soc@example.com', 'oncall@example.com'],
      secure: true,
      user: 'vigil',
    });
    // The subject holds an em dash, so it travels RFC 2047 encoded-word; compare it decoded.
    const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail?.raw ?? '')?.[1] ?? '';
    expect(decodeEncodedWords(subject)).toBe(
      'Vigil: [HIGH] Okta support impersonated a user — user alice@example.com',
    );
    expect(mail?.raw).toMatch(/^X-Vigil-Alert-Id: a-0123456789ab/im);
    expect(mail?.raw).toContain('vigil alerts ack a-0123456789ab');
  });

  it('refuses to send when STARTTLS is required but the server does not offer it', async () => {
    const smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
    const sink = new EmailSink({
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      from: 'v@example.com',
      to: ['s@example.com'],
    });
    // The server's 5xx to STARTTLS is permanent: retrying the same relay cannot help.
    await expectCode(sink.send(buildAlert()), 'SINK_REJECTED');
    sink.close();
    await smtp.close();
    expect(smtp.deliveries).toHaveLength(0);
  });

  it('reports a rejected login as a permanent failure', async () => {
    const cert = makeTestCertificate();
    const smtp = await startSmtp({ key: cert.key, cert: cert.cert });
    const sink = new EmailSink({
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      from: 'v@example.com',
      to: ['s@example.com'],
      auth: { user: 'vigil', pass: 'wrong' },
      ca: cert.cert,
    });
    const error = await expectCode(sink.send(buildAlert()), 'SINK_REJECTED');
    sink.close();
    await smtp.close();
    expect(error.message).not.toContain('wrong');
  });
});
