import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { MiB, readBoundedFile } from '../../core/bounded-file.js';
import { VigilError } from '../../core/vigil-error.js';
import { unplacedRuleProblem, type RulePath, type SigmaErrorCode } from './errors.js';
import type { SigmaRule } from './sigma-rule.js';
import { validateRule } from './validate-rule.js';
import { checkTemplates } from './alert-template.js';

/**
 * Reads Sigma rule files (multi-document YAML: rules, correlations and filters may share a file, per
 * sigma-correlation-rules-specification) and validates them. Every problem names file and line.
 */
export interface LoadOptions {
  /** Values for `%name%` placeholders used with `|expand` (sigma-appendix-modifiers §expand). */
  placeholders?: Record<string, readonly string[]>;
}

const PLACEHOLDER = /%([^%\s]+)%/;

function expandValue(value: unknown, placeholders: Record<string, readonly string[]>): unknown[] {
  if (typeof value !== 'string') return [value];
  const m = PLACEHOLDER.exec(value);
  const name = m?.[1];
  const configured = name === undefined ? undefined : placeholders[name];
  if (!m || configured === undefined) return [value];
  return configured.flatMap((v) =>
    expandValue(
      value.replace(m[0], () => v),
      placeholders,
    ),
  );
}

/** Substitutes configured placeholder values into `|expand` entries; unknown ones stay for the validator. */
function resolvePlaceholders(section: unknown, placeholders: Record<string, readonly string[]>): void {
  if (section === null || typeof section !== 'object') return;
  if (Array.isArray(section)) {
    for (const item of section) resolvePlaceholders(item, placeholders);
    return;
  }
  const obj = section as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    if (key.split('|').slice(1).includes('expand')) {
      const list = (Array.isArray(value) ? value : [value]).flatMap((v) => expandValue(v, placeholders));
      obj[key] = list.length === 1 ? list[0] : list;
    } else resolvePlaceholders(value, placeholders);
  }
}

function lineOf(doc: Document, counter: LineCounter, problemPath: RulePath): number {
  for (let n = problemPath.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(problemPath.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}

function fail(
  code: SigmaErrorCode,
  source: string,
  line: number,
  problem: string,
  more: { path?: RulePath; cause?: unknown } = {},
): VigilError<SigmaErrorCode> {
  return new VigilError(code, `${source}:${line}: ${problem}`, {
    category: 'input',
    details: { file: source, line, problem, ...(more.path === undefined ? {} : { path: more.path }) },
    cause: more.cause,
  });
}

export function parseSigmaRules(text: string, source: string, options: LoadOptions = {}): SigmaRule[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  if (!Array.isArray(docs)) return []; // an empty stream
  const rules: SigmaRule[] = [];
  for (const doc of docs) {
    const start = doc.contents?.range?.[0];
    const line = start === undefined ? 1 : counter.linePos(start).line;
    const yamlError = doc.errors[0];
    if (yamlError) {
      const at = yamlError.linePos?.[0]?.line ?? line;
      throw fail('SIGMA_INVALID_RULE', source, at, `YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // The yaml library throws for an alias without its anchor, or too many aliases (a YAML bomb).
      const reason = e instanceof Error ? e.message : String(e);
      throw fail('SIGMA_INVALID_RULE', source, line, `YAML: ${reason}`, { cause: e });
    }
    if (value === null || value === undefined) continue; // empty document between separators
    const placeholders = options.placeholders ?? {};
    if (typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      resolvePlaceholders(obj.detection, placeholders);
      resolvePlaceholders(obj.filter, placeholders);
    }
    try {
      rules.push(checkTemplates(validateRule(value, source, line)));
    } catch (e) {
      const found = unplacedRuleProblem(e);
      if (!found) throw e;
      const { error, path: at } = found;
      throw fail(error.code, source, lineOf(doc, counter, at), error.message, { path: at });
    }
  }
  return rules;
}

async function ruleFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) => {
        const full = path.join(target, e.name);
        if (e.isDirectory()) return ruleFiles(full);
        return Promise.resolve(/\.ya?ml$/i.test(e.name) ? [full] : []);
      }),
  );
  return nested.flat();
}

/** A rule file is a few KB; a pack of thousands of rules in one file stays far below this. */
const MAX_RULE_FILE_BYTES = 4 * MiB;

/**
 * A rule file, read as hostile input (core/bounded-file.ts): a FIFO or device in a rules folder is
 * refused without blocking, a huge file from its size. Symlinks are followed: rule packs are often
 * linked into place.
 */
function readRuleFile(file: string): string {
  return readBoundedFile(file, {
    maxBytes: MAX_RULE_FILE_BYTES,
    followSymlinks: true,
    refuse: (p) =>
      new VigilError<SigmaErrorCode>(
        'SIGMA_READ_FAILED',
        p.kind === 'unreadable' ? `cannot read ${file}` : `cannot read ${file}: it ${p.why}`,
        { category: 'input', details: { file }, cause: p.cause },
      ),
  }).toString('utf8');
}

export async function loadSigmaRules(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<SigmaRule[]> {
  const rules: SigmaRule[] = [];
  for (const target of paths) {
    let files: string[];
    try {
      files = await ruleFiles(target);
    } catch (e) {
      throw new VigilError<SigmaErrorCode>('SIGMA_READ_FAILED', `cannot read ${target}`, {
        category: 'input',
        details: { file: target },
        cause: e,
      });
    }
    for (const file of files) {
      const text = readRuleFile(file);
      rules.push(...parseSigmaRules(text, file, options));
    }
  }
  const seen = new Map<string, SigmaRule>();
  for (const rule of rules) {
    const prior = seen.get(rule.id);
    if (prior)
      throw fail(
        'SIGMA_INVALID_RULE',
        rule.source,
        rule.line,
        `duplicate rule id ${rule.id} (also ${prior.source}:${prior.line})`,
      );
    seen.set(rule.id, rule);
  }
  return rules;
}
