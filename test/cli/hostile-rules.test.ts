import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn } from '../support/okta-events.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const RULE_HEAD =
  'title: Hostile\nid: 11111111-2222-4333-8444-555555555555\nlevel: high\nlogsource:\n  product: okta\n  service: okta\n';

/** A folder with one rule file holding `text`, and an input of one event. */
function setup(text: string): { rules: string; input: string; file: string } {
  const dir = tempDir('vigil-hostile-rules-');
  const rules = path.join(dir, 'rules');
  const file = path.join(rules, 'hostile.yml');
  const input = path.join(dir, 'events.jsonl');
  writeFileSync(input, JSON.stringify(signIn('ann')) + '\n');
  mkdirSync(rules);
  writeFileSync(file, text);
  return { rules, input, file };
}

function expectInputError(r: { code: number; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`[${code}]`);
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('hostile rule files and inputs for vigil detect', () => {
  it.each([
    ['parentheses', `${'('.repeat(5000)}sel${')'.repeat(5000)}`],
    ['not', `${'not '.repeat(5000)}sel`],
  ])('a 5,000-deep condition (%s) is a coded error naming the rule file', async (_n, condition) => {
    const { rules, input, file } = setup(
      `${RULE_HEAD}detection:\n  sel:\n    a: 1\n  condition: ${condition}\n`,
    );
    const r = await runVigil(['detect', '--input', input, '--rules', rules]);
    expectInputError(r, 'SIGMA_INVALID_RULE');
    expect(r.stderr).toContain(file);
  });

  it('a YAML alias bomb in a rules folder is a coded error naming the rule file', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => {
      const name = String.fromCharCode(97 + i);
      const items = i === 0 ? Array(9).fill('"lol"') : Array(9).fill(`*${String.fromCharCode(96 + i)}`);
      return `${name}: &${name} [${items.join(', ')}]`;
    });
    const { rules, input, file } = setup(
      `${levels.join('\n')}\n${RULE_HEAD}detection:\n  sel:\n    a: *i\n  condition: sel\n`,
    );
    const r = await runVigil(['detect', '--input', input, '--rules', rules]);
    expectInputError(r, 'SIGMA_INVALID_RULE');
    expect(r.stderr).toContain(file);
  });

  it('YAML nested 5,000 deep is a coded error naming the rule file', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const { rules, input, file } = setup(
      `${RULE_HEAD}detection:\n  sel:\n    a: ${deep}\n  condition: sel\n`,
    );
    const r = await runVigil(['detect', '--input', input, '--rules', rules]);
    expectInputError(r, 'SIGMA_INVALID_RULE');
    expect(r.stderr).toContain(file);
  });

  it('a FIFO in a rules folder is refused without blocking, naming it', async () => {
    const { rules, input } = setup(`${RULE_HEAD}detection:\n  sel:\n    a: 1\n  condition: sel\n`);
    const fifo = path.join(rules, 'pipe.yml');
    execFileSync('mkfifo', [fifo]);
    const r = await runVigil(['detect', '--input', input, '--rules', rules]);
    expectInputError(r, 'SIGMA_READ_FAILED');
    expect(r.stderr).toContain(`cannot read ${fifo}: it is a FIFO`);
  });

  it('a rule file over 4 MiB is refused from its size (a sparse file)', async () => {
    const { rules, input, file } = setup(`${RULE_HEAD}detection:\n  sel:\n    a: 1\n  condition: sel\n`);
    truncateSync(file, 5 * 1024 * 1024);
    const r = await runVigil(['detect', '--input', input, '--rules', rules]);
    expectInputError(r, 'SIGMA_READ_FAILED');
    expect(r.stderr).toContain(`${file}: it is larger than the limit of 4 MiB`);
  });

  it('a detect input over the size limit is refused from its size, unread (a sparse file)', async () => {
    const { input } = setup(`${RULE_HEAD}detection:\n  sel:\n    a: 1\n  condition: sel\n`);
    truncateSync(input, 600 * 1024 * 1024);
    const r = await runVigil(['detect', '--input', input]);
    expectInputError(r, 'CLI_FILE_TOO_LARGE');
    expect(r.stderr).toContain(input);
  });
});
