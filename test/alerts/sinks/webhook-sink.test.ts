import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createRandom } from '../../../src/core/seeded-random.js';
import { WebhookSink } from '../../../src/alerts/sinks/webhook-sink.js';
import { verifyWebhook } from '../../../src/alerts/sinks/webhook-signature.js';
import { expectCode } from '../../support/expect-code.js';
import { buildAlert } from '../build-alert.js';

const SECRET = 'whsec-test-0123456789';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the HMAC, computed here independently of Vigil's code, matched. */
  readonly signatureValid: boolean;
}

/** A real HTTP receiver that checks the signature itself and answers from a script of statuses. */
let server: Server;
let url: string;
let received: Received[] = [];
let script: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-vigil-timestamp']);
      const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
      received.push({
        headers: req.headers,
        body,
        signatureValid: req.headers['x-vigil-signature'] === expected,
      });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  script = [];
});

const sinkAt = (clock: ManualClock, target = url, seed = 7) =>
  new WebhookSink({
    name: 'soc',
    url: target,
    secret: SECRET,
    clock,
    random: createRandom(seed),
    retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 },
  });

describe('WebhookSink', () => {
  it('posts the alert as JSON with a valid HMAC-SHA-256 signature over timestamp and body', async () => {
    const clock = new ManualClock('2026-03-01T10:05:02Z');
    await sinkAt(clock).send(buildAlert());
    expect(received).toHaveLength(1);
    const [first] = received;
    expect(first?.signatureValid).toBe(true);
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.headers['x-vigil-timestamp']).toBe(String(Date.parse('2026-03-01T10:05:02Z') / 1000));
    const payload = JSON.parse(first?.body ?? '{}');
    expect(payload).toMatchObject({
      type: 'vigil.alert',
      alert: {
        id: 'a-0123456789ab',
        rule: { id: 'vigil.support.impersonation' },
        severity: 'high',
        events: ['evt-1', 'evt-2'],
      },
    });
    expect(first?.body).not.toContain(SECRET);
  });

  it('retries 5xx with growing Clock-driven backoff, re-signing each attempt, then succeeds', async () => {
    script = [503, 502];
    const clock = new ManualClock('2026-03-01T10:05:02Z');
    const start = clock.now();
    await sinkAt(clock).send(buildAlert());
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    // Equal jitter: retry n waits between half and all of base·2^(n-1): 500–1000 then 1000–2000 ms.
    const waited = clock.now() - start;
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(waited).toBeLessThanOrEqual(3000);
    // Timestamps follow the clock, so a later attempt carries a later signed timestamp.
    const stamps = received.map((r) => Number(r.headers['x-vigil-timestamp']));
    expect(stamps[2]).toBeGreaterThan(stamps[0] ?? Infinity);
  });

  it('waits the same jittered delays for the same seed', async () => {
    const run = async () => {
      script = [500, 500];
      const clock = new ManualClock(0);
      await sinkAt(clock, url, 99).send(buildAlert());
      return clock.now();
    };
    expect(await run()).toBe(await run());
  });

  it('does not retry a 4xx answer', async () => {
    script = [400];
    await expectCode(sinkAt(new ManualClock(0)).send(buildAlert()), 'SINK_REJECTED');
    expect(received).toHaveLength(1);
  });

  it('gives up after maxAttempts of 5xx', async () => {
    script = [500, 500, 500, 500, 500];
    await expectCode(sinkAt(new ManualClock(0)).send(buildAlert()), 'SINK_DELIVERY_FAILED');
    expect(received).toHaveLength(4);
  });

  it('retries network errors and reports failure without leaking the secret', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const clock = new ManualClock(0);
    const error = await expectCode(
      sinkAt(clock, `http://127.0.0.1:${port}/`).send(buildAlert()),
      'SINK_DELIVERY_FAILED',
    );
    expect(error.category).toBe('external');
    expect(error.message).not.toContain(SECRET);
    expect(clock.now()).toBeGreaterThan(0);
    expect(JSON.stringify(sinkAt(clock))).not.toContain(SECRET);
  });
});

describe('verifyWebhook', () => {
  const body = '{"a":1}';
  const nowMs = Date.parse('2026-03-01T10:00:00Z');
  const ts = nowMs / 1000;
  const sign = (t: number) => 'sha256=' + createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');

  it('accepts a fresh signature and refuses a tampered body, a wrong key or a replay', () => {
    const base = { secret: SECRET, body, nowMs, signatureHeader: sign(ts), timestampHeader: String(ts) };
    expect(verifyWebhook(base)).toBe(true);
    expect(verifyWebhook({ ...base, body: '{"a":2}' })).toBe(false);
    expect(verifyWebhook({ ...base, secret: 'other' })).toBe(false);
    expect(verifyWebhook({ ...base, nowMs: nowMs + 10 * 60_000 })).toBe(false);
    expect(verifyWebhook({ ...base, timestampHeader: undefined })).toBe(false);
  });
});
