import { ruleProblem } from './errors.js';
import { compileFieldEntry, type EventPredicate } from './compile-field.js';
import { compileCondition } from './condition-parser.js';
import type { SigmaDetection } from './sigma-rule.js';

/**
 * A detection section → one predicate (sigma-rules-specification §Detection): a map is AND of its
 * field entries, a list of maps is OR, a list of plain values (or one value) is a keyword search.
 * `basePath` is the YAML path of the section, so problems point at the right line.
 */
type Path = readonly (string | number)[];

function compileMap(map: Record<string, unknown>, path: Path): EventPredicate {
  const entries = Object.entries(map);
  if (entries.length === 0) throw ruleProblem('empty search map', path);
  const preds = entries.map(([key, value]) => {
    const [field = '', ...modifiers] = key.split('|');
    // Keyword search ('|all': [...]) is a substring search like plain keyword lists.
    const keywordMods = modifiers.some((m) => ['contains', 'startswith', 'endswith', 're'].includes(m))
      ? modifiers
      : [...modifiers, 'contains'];
    if (field === '')
      return compileFieldEntry({ field: undefined, modifiers: keywordMods, value, path: [...path, key] });
    return compileFieldEntry({ field, modifiers, value, path: [...path, key] });
  });
  const [a, b] = preds;
  if (preds.length === 1 && a) return a;
  if (preds.length === 2 && a && b) return (e) => a(e) && b(e);
  return (e) => preds.every((p) => p(e));
}

export function compileSearch(value: unknown, path: Path): EventPredicate {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return compileMap(value as Record<string, unknown>, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw ruleProblem('empty search list', path);
    const allMaps = value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (allMaps) {
      const preds = value.map((v, i) => compileMap(v as Record<string, unknown>, [...path, i]));
      return (e) => preds.some((p) => p(e));
    }
    if (value.some((v) => v !== null && typeof v === 'object'))
      throw ruleProblem('a search list mixes maps and plain values', path);
    return compileFieldEntry({ field: undefined, modifiers: ['contains'], value, path });
  }
  if (typeof value === 'string' || typeof value === 'number')
    return compileFieldEntry({ field: undefined, modifiers: ['contains'], value, path });
  throw ruleProblem('a search identifier must be a map, a list or a keyword', path);
}

export function compileDetection(detection: SigmaDetection, basePath: Path): EventPredicate {
  const identifiers = new Map<string, EventPredicate>();
  for (const [name, value] of Object.entries(detection.identifiers))
    identifiers.set(name, compileSearch(value, [...basePath, name]));
  const conds = detection.conditions.map((c, i) =>
    compileCondition(
      c,
      identifiers,
      detection.conditions.length > 1 ? [...basePath, 'condition', i] : [...basePath, 'condition'],
    ),
  );
  const [only] = conds;
  if (conds.length === 1 && only) return only;
  return (e) => conds.some((c) => c(e));
}
