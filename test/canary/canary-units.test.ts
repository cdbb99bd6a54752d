import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { totpSecretOf } from '../../src/canary/totp.js';
import { totpCode } from '../../src/sources/totp.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseConfigFile } from '../../src/config/vigil-config.js';
import { OktaAuthnClient } from '../../src/sources/okta/okta-authn-client.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from '../cli/cli-harness.js';
import { canaryWorld, MFA } from './canary-world.js';

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1 seed "12345678901234567890".
  const seed = totpSecretOf('gezd gnbv gy3t qojq gezd gnbv gy3t qojq');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1234567890, '89005924'],
    [20000000000, '65353130'],
  ])('at %i s gives %s', (seconds, code) => {
    expect(totpCode(seed, seconds * 1000, { digits: 8 })).toBe(code);
  });

  it('refuses a seed that is not base32, or too short', () => {
    expectCode(() => totpSecretOf('not base32!'), 'CANARY_BAD_TOTP_SECRET');
    expectCode(() => totpSecretOf('GEZDGNBV'), 'CANARY_BAD_TOTP_SECRET');
  });
});

describe('canaries in vigil.yaml', () => {
  const write = (canary: Record<string, unknown>) => {
    const dir = tempDir('vigil-canary-config-');
    const file = path.join(dir, 'vigil.yaml');
    writeFileSync(
      file,
      stringify({ canaries: { users: [{ source: 'okta', login: 'c@example.com', ...canary }] } }),
    );
    return file;
  };

  it('takes secrets only by reference, and the MFA probe needs a TOTP seed', () => {
    expect(
      parseConfigFile(write({ probes: ['wrong-password'], passwordEnv: 'CANARY_PASSWORD' })).canaries,
    ).toMatchObject({ intervalMinutes: 60, logLagSeconds: 120 });
    expectCode(
      () => parseConfigFile(write({ probes: ['wrong-password'], password: 'hunter2' })),
      'CONFIG_INVALID',
    );
    expectCode(
      () => parseConfigFile(write({ probes: ['wrong-password'], passwordEnv: 'A', passwordFile: 'a' })),
      'CONFIG_INVALID',
    );
    expectCode(
      () => parseConfigFile(write({ probes: ['mfa-required'], passwordEnv: 'A' })),
      'CONFIG_INVALID',
    );
    expectCode(
      () => parseConfigFile(write({ probes: ['no-such-probe'], passwordEnv: 'A' })),
      'CONFIG_INVALID',
    );
  });

  it('vigil config check names each canary secret that is missing or open, and a canary of no source', async () => {
    const dir = tempDir('vigil-canary-check-');
    writeFileSync(path.join(dir, 'open.password'), 'hunter2-secret\n', { mode: 0o644 });
    chmodSync(path.join(dir, 'open.password'), 0o644);
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      stringify({
        sources: [{ name: 'okta', type: 'okta', url: 'https://example.okta.com', tokenEnv: 'OKTA_TOKEN' }],
        canaries: {
          users: [
            {
              source: 'okta',
              login: 'a@example.com',
              probes: ['wrong-password'],
              passwordFile: 'open.password',
            },
            {
              source: 'okta',
              login: 'b@example.com',
              probes: ['mfa-required'],
              passwordEnv: 'B_PASSWORD',
              totpSecretEnv: 'B_TOTP',
            },
            {
              source: 'elsewhere',
              login: 'c@example.com',
              probes: ['wrong-password'],
              passwordEnv: 'B_PASSWORD',
            },
          ],
        },
      }),
      { mode: 0o600 },
    );
    const r = await runVigil(['--data', dir, 'config', 'check'], {
      env: { OKTA_TOKEN: 't', B_PASSWORD: 'p' },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      `canary a@example.com: password file ${path.join(dir, 'open.password')} is readable by others`,
    );
    expect(r.stdout).toContain('canary b@example.com: TOTP secret environment variable B_TOTP is not set');
    expect(r.stdout).toContain('canary c@example.com: no source named elsewhere');
    expect(r.stdout).not.toContain('hunter2-secret');
  });

  it('refuses a password file others can read, naming the file and never the secret (exit 2)', async () => {
    const w = await canaryWorld();
    const file = path.join(w.dir, 'canary-mfa.password');
    chmodSync(file, 0o644);
    const run = await w.vigil('canary', 'run');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('CONFIG_SECRET_UNAVAILABLE');
    expect(run.stderr.includes(readFileSync(file, 'utf8').trim())).toBe(false);
    expect(await w.userStatus(MFA)).toBe('ACTIVE');
  });

  it('collects on when a canary secret is missing: the canaries are off, named, and the run exits 1', async () => {
    const w = await canaryWorld();
    delete w.env['CANARY_TOTP'];
    const collected = await w.collect();
    expect(collected.code).toBe(1);
    expect(collected.stderr).toMatch(
      /canaries off: canary canary-mfa@example.com: TOTP secret environment variable CANARY_TOTP is not set \[CONFIG_SECRET_UNAVAILABLE\]/,
    );
    expect(collected.json.canaries).toEqual([]);
    expect((collected.json as { sources: { error?: unknown }[] }).sources[0]!.error).toBeUndefined();
  });

  it('names a canary whose source is not configured', async () => {
    const w = await canaryWorld();
    const configFile = path.join(w.dir, 'vigil.yaml');
    const config = parse(readFileSync(configFile, 'utf8')) as { canaries: { users: { source: string }[] } };
    config.canaries.users[0]!.source = 'elsewhere';
    writeFileSync(configFile, stringify(config));
    const run = await w.vigil('canary', 'run', '--source', 'elsewhere');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CANARY_NONE');
  });
});

describe('the Okta authn client treats the provider as hostile', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });
  const serve = async (answer: (res: ServerResponse) => void) => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      req.resume();
      answer(res);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new OktaAuthnClient({
      name: 'okta',
      url,
      token: 'tok',
      clock: new ManualClock('2026-03-10T12:00:00Z'),
      userAgent: 'vigil-canary/1',
      requestTimeoutMs: 5000,
      rateShare: 0.5,
    });
    return { client, url, hits: () => hits };
  };

  it('refuses a redirect without following it', async () => {
    const target = await serve((res) => res.end('{}'));
    const { client } = await serve((res) => {
      res.writeHead(302, { location: `${target.url}/api/v1/authn` });
      res.end();
    });
    const a = await client.primary('c@example.com', 'pw-secret');
    expect(a.httpStatus).toBe(0);
    expect(a.problem).toMatch(/redirect/);
    expect(target.hits()).toBe(0);
  });

  it('refuses a body over its limit and ambiguous JSON, so neither can pass for SUCCESS', async () => {
    const big = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"status":"SUCCESS","pad":"${'x'.repeat(100_000)}"}`);
    });
    const a = await big.client.primary('c@example.com', 'pw-secret');
    expect(a.status).toBeUndefined();
    expect(a.httpStatus).toBe(0);
    const dup = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"MFA_REQUIRED","status":"SUCCESS"}');
    });
    const b = await dup.client.primary('c@example.com', 'pw-secret');
    expect(b.status).toBeUndefined();
    expect(b.problem).toBeDefined();
  });

  it('never echoes the password it sent', async () => {
    const { client } = await serve((res) => res.destroy());
    const a = await client.primary('c@example.com', 'pw-secret-123');
    expect(a.httpStatus).toBe(0);
    expect(JSON.stringify(a)).not.toContain('pw-secret-123');
  });
});
