import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createRandom } from '../../../src/core/seeded-random.js';
import { SlackSink } from '../../../src/alerts/sinks/slack-sink.js';
import { expectCode } from '../../support/expect-code.js';
import { buildAlert } from '../build-alert.js';

/** A real HTTP server standing in for Slack's incoming-webhook endpoint. */
let server: Server;
let base: string;
const bodies: { path: string; body: unknown }[] = [];
const statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'invalid_payload');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sink = (path: string) =>
  new SlackSink({
    webhookUrl: `${base}${path}`,
    clock: new ManualClock(0),
    random: createRandom(1),
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  });

describe('SlackSink', () => {
  it('posts {text, blocks} with mrkdwn-escaped content to the incoming-webhook URL', async () => {
    await sink('/services/T000/B000/XXXX').send(buildAlert({ description: 'Reset <MFA> & more' }));
    const last = bodies.at(-1);
    expect(last?.path).toBe('/services/T000/B000/XXXX');
    const body = last?.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toBe('[HIGH] Okta support impersonated a user — user alice@example.com');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(body.blocks[1]?.text?.text).toBe('Reset &lt;MFA&gt; &amp; more');
  });

  it('lists the other rules of a grouped alert under its description', async () => {
    const alert = buildAlert();
    await sink('/grouped').send({
      ...alert,
      reasons: [
        ...alert.reasons,
        {
          ruleId: 'okta-mfa-reset-all',
          title: 'All MFA factors reset for alice@example.com',
          description: 'd',
          severity: 'medium',
          dedupKey: 'k',
        },
      ],
    });
    const body = bodies.at(-1)?.body as { blocks: { text?: { text: string } }[] };
    expect(body.blocks[1]?.text?.text).toBe(
      `${alert.description}\nAlso: All MFA factors reset for alice@example.com (okta-mfa-reset-all, medium)`,
    );
  });

  it('retries a 503 and fails fast on 400 without exposing the URL', async () => {
    statuses.push(503);
    const before = bodies.length;
    await sink('/a').send(buildAlert());
    expect(bodies.length - before).toBe(2);
    statuses.push(400);
    const error = await expectCode(sink('/secret-path').send(buildAlert()), 'SINK_REJECTED');
    expect(error.message).not.toContain('secret-path');
  });
});
