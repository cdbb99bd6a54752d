import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSigmaRules, parseSigmaRules } from '../../../src/detect/sigma/index.js';
import { isVigilError, type VigilError } from '../../../src/core/vigil-error.js';
import { ruleYaml } from './rule-fixture.js';

function errorOf(text: string, options = {}): VigilError {
  try {
    parseSigmaRules(text, 'rules/bad.yml', options);
  } catch (e) {
    if (isVigilError(e)) return e;
    throw e;
  }
  throw new Error('expected the rule to be rejected');
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
  ])('%s → SIGMA_INVALID_RULE naming file and line', (_name, text) => {
    const err = errorOf(text);
    expect(err.code).toBe('SIGMA_INVALID_RULE');
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

  it('unresolved placeholders, and resolution from options', () => {
    const text = ruleYaml("sel:\n  a|expand: '%trusted%'\ncondition: sel");
    expect(errorOf(text).code).toBe('SIGMA_UNRESOLVED_PLACEHOLDER');
    const rules = parseSigmaRules(text, 'x.yml', { placeholders: { trusted: ['x', 'y'] } });
    expect(rules).toHaveLength(1);
  });

  it('loads folders recursively and rejects duplicate ids across files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sigma-'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'a.yml'), good);
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    expect(await loadSigmaRules([dir])).toHaveLength(1);
    await writeFile(path.join(dir, 'sub', 'b.yaml'), good);
    const err = await loadSigmaRules([dir]).catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('SIGMA_INVALID_RULE');
    const missing = await loadSigmaRules([path.join(dir, 'nope')]).catch((e: unknown) => e);
    expect(isVigilError(missing) && missing.code).toBe('SIGMA_READ_FAILED');
    await rm(dir, { recursive: true, force: true });
  });
});
