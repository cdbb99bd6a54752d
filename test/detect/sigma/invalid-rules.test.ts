import { describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSigmaRules, parseSigmaRules, SigmaEngine } from '../../../src/detect/sigma/index.js';
import type { ErrorCode, VigilError } from '../../../src/core/vigil-error.js';
import { expectCode } from '../../support/expect-code.js';
import { tempDir } from '../../support/temp-dir.js';
import { ruleYaml } from './rule-fixture.js';

/** The error parseSigmaRules refuses `text` with, asserting its code (SIGMA_INVALID_RULE unless told). */
function errorOf(text: string, code: ErrorCode = 'SIGMA_INVALID_RULE', options = {}): VigilError {
  return expectCode(() => parseSigmaRules(text, 'rules/bad.yml', options), code);
}

const good = ruleYaml('sel:\n  a: 1\ncondition: sel');

describe('invalid rules', () => {
  it.each([
    ['missing title', good.replace('title: Test rule\n', '')],
    ['non-uuid id', good.replace(/^id: .*$/m, 'id: not-a-uuid')],
    ['bad status', `${good}status: beta\n`],
    ['bad level', good.replace('level: high', 'level: severe')],
    ['no logsource', good.replace(/logsource:\n( {2}.*\n)+/, '')],
    ['no detection', good.replace(/detection:[\s\S]*$/, '')],
    ['no condition', ruleYaml('sel:\n  a: 1')],
    ['unknown identifier in condition', ruleYaml('sel:\n  a: 1\ncondition: sel and other')],
    ['bad condition syntax', ruleYaml('sel:\n  a: 1\ncondition: sel and (sel')],
    ['unknown modifier', ruleYaml('sel:\n  a|sartswith: 1\ncondition: sel')],
    ['re with contains', ruleYaml("sel:\n  a|re|contains: 'x'\ncondition: sel")],
    ['bad regex', ruleYaml("sel:\n  a|re: '(x'\ncondition: sel")],
    ['bad cidr', ruleYaml("sel:\n  a|cidr: '10.0.0.0/33'\ncondition: sel")],
    ['gt with a string', ruleYaml("sel:\n  a|gt: 'x'\ncondition: sel")],
    ['exists with a string', ruleYaml("sel:\n  a|exists: 'yes'\ncondition: sel")],
    ['bad tag', `${good}tags:\n  - NotATag\n`],
    ['bad date', `${good}date: 2024/01/01\n`],
    ['bad yaml', 'title: [unclosed\n'],
    ['yaml alias without its anchor', ruleYaml('sel:\n  a: *nowhere\ncondition: sel')],
    [
      'yaml alias bomb',
      `${good}x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [${'*a, '.repeat(9)}*a]\nz: [${'*b, '.repeat(99)}*b]\n`,
    ],
  ])('%s → SIGMA_INVALID_RULE naming file and line', (_name, text) => {
    const err = errorOf(text);
    expect(err.category).toBe('input');
    expect(err.details.file).toBe('rules/bad.yml');
    expect(typeof err.details.line).toBe('number');
    expect(err.message).toMatch(/^rules\/bad\.yml:\d+: /);
  });

  it('points at the line of the problem', () => {
    const text = ruleYaml('sel:\n  a: 1\n  b|sartswith: 2\ncondition: sel');
    const line = text.split('\n').findIndex((l) => l.includes('sartswith')) + 1;
    expect(errorOf(text).details.line).toBe(line);
    const second = `${good}---\n${good.replace('level: high', 'level: severe')}`;
    const levelLine = second.split('\n').findIndex((l) => l.includes('severe')) + 1;
    expect(errorOf(second).details.line).toBe(levelLine);
  });

  it("a YAML library failure is the coded error naming the file, not the library's own", () => {
    const err = errorOf(ruleYaml('sel:\n  a: *nowhere\ncondition: sel'));
    expect(err.message).toMatch(/^rules\/bad\.yml:\d+: YAML: Unresolved alias/);
    expect(err.cause).toBeInstanceOf(ReferenceError);
  });

  it('carries the YAML path of the problem in details.path', () => {
    const err = errorOf(ruleYaml('sel:\n  a: 1\n  b|sartswith: 2\ncondition: sel'));
    expect(err.details.path).toEqual(['detection', 'sel', 'b|sartswith']);
    expect(err.details.problem).toBe('unknown modifier |sartswith');
  });

  it('names file and line of a rule the engine is given without the loader', () => {
    const [rule] = parseSigmaRules(good, 'rules/good.yml');
    const broken = {
      ...rule!,
      detection: { identifiers: { sel: { 'a|sartswith': 1 } }, conditions: ['sel'] },
    };
    const err = expectCode(() => new SigmaEngine([broken]), 'SIGMA_INVALID_RULE');
    expect(err.message).toBe('rules/good.yml:1: unknown modifier |sartswith');
  });

  it('unresolved placeholders, and resolution from options', () => {
    const text = ruleYaml("sel:\n  a|expand: '%trusted%'\ncondition: sel");
    errorOf(text, 'SIGMA_UNRESOLVED_PLACEHOLDER');
    const rules = parseSigmaRules(text, 'x.yml', { placeholders: { trusted: ['x', 'y'] } });
    expect(rules).toHaveLength(1);
  });

  it('loads folders recursively and rejects duplicate ids across files', async () => {
    const dir = tempDir('vigil-sigma-');
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'a.yml'), good);
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    expect(await loadSigmaRules([dir])).toHaveLength(1);
    await writeFile(path.join(dir, 'sub', 'b.yaml'), good);
    await expectCode(loadSigmaRules([dir]), 'SIGMA_INVALID_RULE');
    await expectCode(loadSigmaRules([path.join(dir, 'nope')]), 'SIGMA_READ_FAILED');
  });

  it('a rule file listed but unreadable → SIGMA_READ_FAILED naming the file', async () => {
    const dir = tempDir('vigil-sigma-');
    const dangling = path.join(dir, 'gone.yml');
    await symlink(path.join(dir, 'nowhere.yml'), dangling);
    const err = await expectCode(loadSigmaRules([dir]), 'SIGMA_READ_FAILED');
    expect(err.message).toBe(`cannot read ${dangling}`);
    expect(err.details.file).toBe(dangling);
  });
});
