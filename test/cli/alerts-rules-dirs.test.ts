import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const BIN = path.resolve('bin/vigil.js');
const run = promisify(execFile);

/** The real CLI (bin/vigil.js over dist/) in a child process. */
async function vigilBin(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'], ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error(`vigil ${args.join(' ')} did not exit within 20 s`);
    return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr };
  }
}

const RESET_RULE = `title: "Custom: {target}'s password was reset by {actor}"
name: custom-password-reset
level: high
logsource:
  product: okta
detection:
  sel:
    eventType: user.account.reset_password
  condition: sel
`;

/** A data directory whose vigil.yaml points collect at `rules/` (relative: to the data directory). */
function dataDirWithRules(files: Record<string, string>, url = 'http://127.0.0.1:9'): string {
  const dir = tempDir('vigil-rulesdirs-');
  mkdirSync(path.join(dir, 'rules'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'rules', name), text);
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    stringify({
      sources: [{ name: 'okta', type: 'okta', url, tokenEnv: 'OKTA_TOKEN' }],
      detection: { rulesDirs: ['rules'] },
    }),
    { mode: 0o600 },
  );
  return dir;
}

describe('detection.rulesDirs in vigil.yaml (collect)', () => {
  it.each([
    ['a rule with a YAML error', 'title: [unclosed\n', /rules\/broken\.yml:1: YAML/],
    [
      'a rule naming an unknown placeholder',
      RESET_RULE.replace('{actor}', '{admin}'),
      /rules\/broken\.yml:1: rule "custom-password-reset": title names an unknown placeholder \{admin\}/,
    ],
  ])('%s: collect exits 2 at start-up naming the file, and opens nothing', async (_, text, names) => {
    const dir = dataDirWithRules({ 'broken.yml': text });
    const r = await vigilBin(['--data', dir, 'collect', '--once'], { OKTA_TOKEN: 't' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(path.join(dir, 'rules', 'broken.yml'));
    expect(r.stderr).toMatch(names);
    // Checked before the store opens: no database, no key.
    expect(readdirSync(dir).sort()).toEqual(['rules', 'vigil.yaml']);
  });

  it('a folder that is not there: exit 2 naming it', async () => {
    const dir = dataDirWithRules({});
    writeFileSync(
      path.join(dir, 'vigil.yaml'),
      stringify({
        sources: [{ name: 'okta', type: 'okta', url: 'http://127.0.0.1:9', tokenEnv: 'OKTA_TOKEN' }],
        detection: { rulesDirs: ['no-such-rules'] },
      }),
      { mode: 0o600 },
    );
    const r = await vigilBin(['--data', dir, 'collect', '--once'], { OKTA_TOKEN: 't' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${path.join(dir, 'no-such-rules')}`);
  });

  it('custom rules run beside the pack in collect, titles templated', async () => {
    const T = Date.parse('2026-03-10T12:00:00.000Z');
    const clock = new ManualClock(T);
    const sim = await startSimulator({
      seed: 11,
      users: 20,
      days: 1,
      liveTraffic: false,
      clock,
      scenarios: [{ name: 'lapsus-2022', at: T - 6 * 3_600_000 }],
    });
    try {
      const dir = dataDirWithRules({ 'reset.yml': RESET_RULE }, sim.baseUrl);
      const vigil = (...args: string[]) =>
        runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token } });
      const collected = await vigil('collect', '--once', '--since', '2026-03-09T00:00:00Z');
      expect(collected.code, collected.stderr).toBe(0);
      const alerts = JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
      const custom = alerts.flatMap((a) => a.reasons.filter((r) => r.rule.id === 'custom-password-reset'));
      expect(custom).toHaveLength(3);
      for (const r of custom)
        expect(r.rule.title).toMatch(/^Custom: \S+@\S+'s password was reset by system@okta\.com$/);
    } finally {
      await sim.close();
    }
  });
});
