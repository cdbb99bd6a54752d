import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { lapsusWorld } from '../report/lapsus-world.js';

const SECRET = 'contact-hook-secret';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

/** A loopback webhook receiver that keeps every body and whether its HMAC was right. */
async function receiver() {
  const got: { body: string; signed: boolean }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-vigil-timestamp']);
      const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
      got.push({ body, signed: req.headers['x-vigil-signature'] === expected });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/contact`, got };
}

describe("a source's security contact", () => {
  it('is told, signed, when an incident opens and when its report is ready: a summary with counts and no personal data', async () => {
    const hook = await receiver();
    const world = await lapsusWorld(
      {
        securityContact: {
          webhook: { url: hook.url, secret: { env: 'CONTACT_SECRET' } },
          email: 'soc@example.org',
        },
      },
      { CONTACT_SECRET: SECRET },
    );
    const opened = await world.vigil(
      'incident',
      'open',
      '--name',
      'Okta support compromise',
      '--from',
      world.from,
      '--to',
      world.to,
      '--scope',
      'support',
      '--json',
    );
    expect(opened.code, opened.stderr).toBe(0);
    const { id } = JSON.parse(opened.stdout) as { id: string };
    // No email sink is configured: the email notice is reported, not silently dropped, and the incident still opens.
    expect(opened.stderr).toContain('could not be told by email: no email sink in alerts.sinks');
    expect(opened.stderr).toContain('security contact told by webhook');

    const report = await world.vigil('incident', 'report', id, '--out', path.join(world.dir, 'r'));
    expect(report.code, report.stderr).toBe(0);

    expect(hook.got).toHaveLength(2);
    expect(hook.got.every((g) => g.signed)).toBe(true);
    const [open, ready] = hook.got.map(
      (g) =>
        JSON.parse(g.body) as {
          alert: { rule: { id: string }; entity: { id: string }; description: string };
        },
    );
    expect(open!.alert).toMatchObject({ rule: { id: 'vigil-incident-opened' }, entity: { id } });
    expect(ready!.alert.rule.id).toBe('vigil-incident-report-ready');
    expect(ready!.alert.description).toMatch(
      /\d+ cited event\(s\), \d+ affected user\(s\) of whom \d+ admin\(s\)/,
    );
    expect(ready!.alert.description).toMatch(/SHA-256 [0-9a-f]{64}/);
    for (const g of hook.got) {
      expect(g.body.match(EMAIL) ?? []).toEqual([]);
      expect(g.body.match(IPV4) ?? []).toEqual([]);
    }
  });
});
