import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

function dataDirWith(yaml: string): string {
  const dir = tempDir('vigil-config-check-');
  writeFileSync(path.join(dir, 'vigil.yaml'), yaml, { mode: 0o600 });
  return dir;
}

const BROKEN = [
  'sources:',
  '  - name: okta',
  '    type: okta',
  '    url: not-a-url',
  '    tokenEnv: OKTA_TOKEN',
  'collect:',
  '  pageLimt: 100',
  '  rateShare: 2',
  'alerts:',
  '  sinks:',
  '    - type: syslog',
  '      name: siem',
  '      protocol: tcp',
  '      host: 127.0.0.1',
  '      port: "514"',
  '',
].join('\n');

describe('vigil config check', () => {
  it('names every problem with its key path and line, not only the first, and exits 2', async () => {
    const dir = dataDirWith(BROKEN);
    const r = await runVigil(['--data', dir, 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${path.join(dir, 'vigil.yaml')}: 4 problem(s)`);
    expect(r.stdout).toMatch(/line 4: sources\.0\.url: Invalid url; http\(s\) URL/);
    expect(r.stdout).toMatch(/line 7: collect\.pageLimt: unknown key/);
    expect(r.stdout).toMatch(/line 8: collect\.rateShare: Number must be less than or equal to 1/);
    expect(r.stdout).toMatch(
      /line 15: alerts\.sinks\.0 \(syslog "siem"\): port: Expected number, received string/,
    );
    // Checking opens nothing.
    expect(readdirSync(dir)).toEqual(['vigil.yaml']);

    const json = await runVigil(['--data', dir, 'config', 'check', '--json']);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as { ok: boolean; problems: { path: string; line: number }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.path, p.line])).toEqual([
      ['sources.0.url', 4],
      ['collect.pageLimt', 7],
      ['collect.rateShare', 8],
      ['alerts.sinks.0.port', 15],
    ]);
  });

  it('a collector refuses the same file naming all of its problems at once', async () => {
    const dir = dataDirWith(BROKEN);
    const r = await runVigil(['--data', dir, 'collect', '--once'], { env: { OKTA_TOKEN: 't' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONFIG_INVALID/);
    for (const key of [
      'sources.0.url',
      'collect.pageLimt',
      'collect.rateShare',
      'alerts.sinks.0 (syslog "siem"): port',
    ])
      expect(r.stderr).toContain(key);
  });

  it('reports a YAML syntax error with its line', async () => {
    const dir = dataDirWith('sources:\n  - name: okta\n    type: [okta\n');
    const r = await runVigil(['config', 'check', '--file', path.join(dir, 'vigil.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/line \d+: YAML: /);
  });

  it('checks what a valid file refers to: tokens, sink secrets, CA files', async () => {
    const dir = dataDirWith(
      [
        'sources:',
        '  - { name: okta, type: okta, url: "https://acme.okta.com", tokenEnv: OKTA_TOKEN }',
        '  - { name: other, type: okta, url: "https://other.okta.com", tokenFile: secrets/other-token }',
        'alerts:',
        '  sinks:',
        '    - { type: webhook, name: soc, url: "https://hooks.example/x", secret: { file: secrets/hook } }',
        '    - { type: syslog, name: siem, protocol: tls, host: siem.example, port: 6514, caFile: ca.pem }',
        '',
      ].join('\n'),
    );
    const r = await runVigil(['--data', dir, 'config', 'check', '--json']);
    expect(r.code).toBe(2);
    const { problems } = JSON.parse(r.stdout) as { problems: { path: string; message: string }[] };
    expect(problems.map((p) => p.path)).toEqual([
      'sources.0.tokenEnv',
      'sources.1.tokenFile',
      'alerts.sinks.0.secret',
      'alerts.sinks.1.caFile',
    ]);
    // Relative paths resolve against the directory holding the file: the data directory.
    expect(problems[1]!.message).toContain(path.join(dir, 'secrets/other-token'));
    expect(problems[2]!.message).toContain(path.join(dir, 'secrets/hook'));
    expect(problems[3]!.message).toContain(path.join(dir, 'ca.pem'));
  });

  it('passes a complete file whose secrets are all there, from any working directory', async () => {
    const dir = dataDirWith(
      [
        'sources:',
        '  - { name: okta, type: okta, url: "https://acme.okta.com", tokenFile: secrets/okta-token }',
        'alerts:',
        '  sinks:',
        '    - { type: webhook, name: soc, url: "https://hooks.example/x", secret: { file: secrets/hook } }',
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
    writeFileSync(path.join(dir, 'secrets/okta-token'), 'token\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'secrets/hook'), 'hook-secret\n', { mode: 0o600 });
    const r = await runVigil(['--data', dir, 'config', 'check'], { cwd: tempDir('vigil-elsewhere-') });
    expect(r.stdout + r.stderr).toContain(
      `${path.join(dir, 'vigil.yaml')}: OK (1 source(s), 1 alert sink(s))`,
    );
    expect(r.code).toBe(0);
  });

  it('a missing file is an error naming it', async () => {
    const file = path.join(tempDir('vigil-config-none-'), 'nope.yaml');
    const r = await runVigil(['config', 'check', '--file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONFIG_FILE_MISSING/);
    expect(r.stderr).toContain(file);
  });
});
