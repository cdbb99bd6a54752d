import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { sinkLabel } from '../alerts/alerts-config.js';

/** One thing wrong with a configuration file, named by its key path (and line, where known). */
export interface ConfigProblem {
  /** Dotted key path (`alerts.sinks.0.port`); `(yaml)` for a syntax error, `(root)` for the whole file. */
  readonly path: string;
  /** The path as a person reads it: an alert sink also named by type and name (`alerts.sinks.1 (syslog "siem") port`). */
  readonly where: string;
  /** 1-based line of the key (or of the syntax error) in the file, when it is there. */
  readonly line?: number;
  readonly message: string;
}

export type ConfigDocument<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Parses a YAML configuration against `schema` and reports every problem, not the first: each
 * YAML syntax error with its line, else each schema issue with its key path and line. A key the
 * schema does not know is reported at its own path (`collect.pageLimt: unknown key`). Values are
 * never echoed: they may be secrets.
 */
export function parseConfigDocument<T>(
  text: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
): ConfigDocument<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: '(yaml)',
        where: 'YAML',
        ...(e.linePos ? { line: e.linePos[0].line } : {}),
        // With prettyErrors the first line is the message and where; the rest quotes the file.
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    };
  const value: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data, problems: [] };
  const found = result.error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => problemAt([...issue.path, key], 'unknown key', doc, lines, value));
    return [problemAt(issue.path, issue.message, doc, lines, value)];
  });
  // One problem per key (its messages joined), in the order of the file.
  const byPath = new Map<string, ConfigProblem>();
  for (const p of found) {
    const seen = byPath.get(p.path);
    byPath.set(p.path, seen ? { ...seen, message: `${seen.message}; ${p.message}` } : p);
  }
  const problems = [...byPath.values()].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return { ok: false, problems };
}

function problemAt(
  keyPath: readonly (string | number)[],
  message: string,
  doc: Document,
  lines: LineCounter,
  value: unknown,
): ConfigProblem {
  const line = lineOf(keyPath, doc, lines);
  const path = keyPath.join('.') || '(root)';
  return { path, where: whereOf(keyPath, value), ...(line === undefined ? {} : { line }), message };
}

/** An alert sink is named by position, type and name, so the user sees which sink is wrong. */
function whereOf(keyPath: readonly (string | number)[], value: unknown): string {
  const [section, list, index, ...rest] = keyPath;
  if (section === 'alerts' && list === 'sinks' && typeof index === 'number') {
    const entry = (value as { alerts?: { sinks?: unknown[] } }).alerts?.sinks?.[index];
    return [sinkLabel(index, entry), ...(rest.length ? [rest.join('.')] : [])].join(': ');
  }
  return keyPath.join('.') || '(root)';
}

/** The line of the key at `keyPath` (or, for a missing key, of the nearest enclosing one). */
function lineOf(
  keyPath: readonly (string | number)[],
  doc: Document,
  lines: LineCounter,
): number | undefined {
  for (let n = keyPath.length; n > 0; n--) {
    const parent = doc.getIn(keyPath.slice(0, n - 1), true);
    const key = keyPath[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return lines.linePos(range[0]).line;
    } else {
      const node = doc.getIn(keyPath.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

/** How a problem reads in a message: `line 12: alerts.sinks.0 (syslog "siem"): port: Expected number`. */
export function describeProblem(problem: ConfigProblem): string {
  return `${problem.line === undefined ? '' : `line ${problem.line}: `}${problem.where}: ${problem.message}`;
}
