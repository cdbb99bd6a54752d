import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CanaryService } from '../../src/canary/canary-service.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Detection } from '../../src/detect/detection.js';
import { OktaAuthnClient } from '../../src/sources/okta/okta-authn-client.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const servers: Server[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const c of closers.splice(0)) await c();
});

/**
 * A small loopback provider that misbehaves in ways the simulator has no switch for: it accepts any
 * TOTP code, or it keeps a locked canary locked and refuses the admin unlock. Every answer is
 * Okta's documented shape (okta-api.md §6).
 */
async function provider(behaviour: 'any-code' | 'stays-locked' | 'no-policy-scope') {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const failed = { errorCode: 'E0000004', errorSummary: 'Authentication failed', errorCauses: [] };
      if (req.url === '/api/v1/authn') {
        const { password } = JSON.parse(body) as { password: string };
        if (behaviour === 'stays-locked' || password !== 'right') return json(401, failed);
        return json(200, {
          status: 'MFA_REQUIRED',
          stateToken: 'st-1',
          _embedded: { factors: [{ id: 'uft1', factorType: 'token:software:totp', provider: 'GOOGLE' }] },
        });
      }
      if (req.url === '/api/v1/authn/factors/uft1/verify')
        return json(200, { status: 'SUCCESS', sessionToken: 'session-secret' });
      if (req.url?.startsWith('/api/v1/policies') && behaviour === 'no-policy-scope')
        return json(403, { errorCode: 'E0000006', errorSummary: 'You do not have permission' });
      if (req.url?.startsWith('/api/v1/policies'))
        return json(200, [
          {
            status: 'ACTIVE',
            priority: 1,
            settings: { password: { lockout: { maxAttempts: 3, autoUnlockMinutes: 0 } } },
          },
        ]);
      if (req.url === '/api/v1/users/c%40example.com')
        return json(200, { id: '00u1', status: behaviour === 'no-policy-scope' ? 'ACTIVE' : 'LOCKED_OUT' });
      if (req.url === '/api/v1/users/00u1/lifecycle/unlock')
        return json(403, { errorCode: 'E0000032', errorSummary: 'Unlock is not allowed for this user.' });
      return json(404, { errorCode: 'E0000007' });
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = tempDir('vigil-canary-hostile-');
  const { custody, close } = await openTestCustody(dir, clock);
  closers.push(close);
  const alerts: Detection[] = [];
  const service = new CanaryService({ custody, clock, alert: async (d) => alerts.push(d) });
  const client = new OktaAuthnClient({
    name: 'okta',
    url,
    token: 'tok',
    clock,
    userAgent: 'vigil-canary/1',
    requestTimeoutMs: 5000,
    rateShare: 0.5,
  });
  const run = (probes: ('mfa-required' | 'lockout')[]) =>
    service.run({
      source: 'okta',
      client,
      clientIp: null,
      users: [
        {
          user: { source: 'okta', login: 'c@example.com', probes, passwordEnv: 'X', totpSecretEnv: 'Y' },
          secrets: { password: 'right', totpSecret: SEED },
        },
      ],
    });
  return { run, seen, alerts, clock, custody };
}

describe('canary probes against a provider the simulator cannot imitate (loopback)', () => {
  it('fails mfa-required when any TOTP code signs in', async () => {
    const p = await provider('any-code');
    const [result] = await p.run(['mfa-required']);
    expect(result).toMatchObject({
      status: 'fail',
      observed: 'MFA_REQUIRED, then SUCCESS after a wrong TOTP',
    });
    expect(p.alerts.map((a) => [a.ruleId, a.severity])).toEqual([['vigil-canary-probe-failed', 'critical']]);
  });

  it('reports a canary the provider keeps locked as an error, after trying the admin unlock', async () => {
    const p = await provider('stays-locked');
    const [result] = await p.run(['lockout']);
    expect(result!.status).toBe('error');
    expect(result!.observed).toMatch(/still LOCKED_OUT after the unlock \(.*unlock answered HTTP 403\)$/);
    expect(p.seen).toContain('POST /api/v1/users/00u1/lifecycle/unlock');
    expect(p.seen.filter((s) => s === 'POST /api/v1/authn')).toHaveLength(4); // 3 failures, then the right password
    expect(p.alerts.map((a) => [a.ruleId, a.severity])).toEqual([['vigil-canary-probe-failed', 'high']]);
  });

  it("falls back to the latest configuration snapshot's lockout when the policies cannot be read", async () => {
    const p = await provider('no-policy-scope');
    const password = {
      type: 'PASSWORD',
      status: 'ACTIVE',
      priority: 1,
      settings: { password: { lockout: { maxAttempts: 2, autoUnlockMinutes: 0 } } },
    };
    await p.custody.appendRecords('okta', 'config-snapshots', [
      {
        id: 'snap-1',
        time: '2026-03-10T11:00:00.000Z',
        body: JSON.stringify({ objects: { '/api/v1/policies/00p1': password } }),
      },
    ]);
    const [result] = await p.run(['lockout']);
    // This provider never locks: the probe fails, having counted the snapshot's 2 failures.
    expect(result).toMatchObject({
      status: 'fail',
      observed: 'the right password after 2 failures: MFA_REQUIRED',
    });
    expect(p.seen.filter((s) => s === 'POST /api/v1/authn')).toHaveLength(3);
  });
});
