import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const OPENSSL = '/usr/bin/openssl';

describe('vigil serve: where it listens', () => {
  it('refuses an address beyond loopback without TLS or --insecure-http, and half a TLS pair (exit 2, nothing created)', async () => {
    const cwd = tempDir('vigil-serve-flags-');
    const beyond = await runVigil(['--data', 'd', 'serve', '--host', '0.0.0.0'], { cwd });
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain('SERVE_NOT_PROTECTED');
    expect(beyond.stderr).toContain('--insecure-http');
    const half = await runVigil(['--data', 'd', 'serve', '--tls-cert', 'c.pem'], { cwd });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('SERVE_NOT_PROTECTED');
    const missing = await runVigil(['--data', 'd', 'serve', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {
      cwd,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('SERVE_TLS_UNREADABLE');
    expect(existsSync(path.join(cwd, 'd')), 'a refused start creates no data directory').toBe(false);
  });

  it('serves HTTPS with the given certificate, with HSTS, and stops when asked', async () => {
    if (!existsSync(OPENSSL))
      throw new Error(`${OPENSSL} is missing: this test makes its self-signed certificate with openssl`);
    const cwd = tempDir('vigil-serve-tls-');
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(cwd, 'key.pem'),
        '-out',
        path.join(cwd, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    let answer: { status: number; hsts: string | null; body: string } | undefined;
    let failure: unknown;
    const run = await runVigil(
      ['--data', 'd', 'serve', '--port', '0', '--tls-cert', 'cert.pem', '--tls-key', 'key.pem'],
      {
        cwd,
        onStdout: (all, abort) => {
          const origin = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(all)?.[1];
          if (!origin || answer || failure) return;
          const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
          undiciFetch(`${origin}/healthz`, { dispatcher })
            .then(async (r) => {
              answer = {
                status: r.status,
                hsts: r.headers.get('strict-transport-security'),
                body: await r.text(),
              };
            })
            .catch((error: unknown) => (failure = error))
            .finally(() => {
              void dispatcher.close();
              abort();
            });
        },
      },
    );
    expect(failure).toBeUndefined();
    expect(run.code, run.stderr).toBe(0);
    expect(answer).toEqual({ status: 200, hsts: 'max-age=31536000', body: '{"status":"ok"}' });
    expect(run.stdout).toContain('vigil serve: stopped');
  });
});
