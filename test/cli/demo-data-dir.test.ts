import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../src/demo/demo-report.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

describe('vigil demo keeps out of the working directory and out of existing stores', () => {
  it('writes its data under $TMPDIR by default and leaves the working directory untouched', async () => {
    const cwd = tempDir('vigil-demo-cwd-');
    const tmp = tempDir('vigil-demo-tmp-');
    const r = await runVigil(['demo', '--users', '5', '--days', '1', '--json'], {
      cwd,
      env: { TMPDIR: tmp },
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as DemoSummary;
    expect(path.dirname(summary.dataDir)).toBe(tmp);
    expect(readdirSync(summary.dataDir)).toContain('vigil.db');
    // Nothing for a checkout's linters and formatters to find: `npm run lint` stays as it was.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([
    ['a vigil.yaml', 'vigil.yaml'],
    ['a database', 'vigil.db'],
    ['keys', 'keys'],
  ])('refuses a --data directory holding %s, changing nothing', async (_, mark) => {
    const dir = tempDir('vigil-demo-used-');
    const config =
      'sources:\n  - name: prod\n    type: okta\n    url: https://acme.okta.com\n    tokenEnv: T\n';
    writeFileSync(path.join(dir, 'vigil.yaml'), config, { mode: 0o600 });
    if (mark === 'vigil.db') writeFileSync(path.join(dir, mark), 'not touched');
    if (mark === 'keys') mkdirSync(path.join(dir, mark));
    const before = readdirSync(dir).sort();
    const r = await runVigil(['--data', dir, 'demo', '--users', '5', '--days', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DEMO_DATA_IN_USE/);
    expect(r.stderr).toContain(dir);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(path.join(dir, 'vigil.yaml'), 'utf8')).toBe(config);
  });

  it('uses an empty --data directory it is given', async () => {
    const dir = path.join(tempDir('vigil-demo-given-'), 'new');
    const r = await runVigil(['--data', dir, 'demo', '--users', '5', '--days', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as DemoSummary).dataDir).toBe(dir);
  });
});
