import { ruleProblem } from './errors.js';
import { asText } from './event-value.js';
import { compileFieldGetter } from './field-lookup.js';

/**
 * The `fieldref` modifier (sigma-appendix-modifiers §fieldref): the value names another field of the
 * same event; it matches when the two fields hold equal text (or contain / start / end with it),
 * case-insensitively unless `cased`, negated by `neq`.
 */
type Path = readonly (string | number)[];

export function compileFieldRef(
  getter: (e: unknown) => unknown[],
  list: unknown[],
  modifiers: readonly string[],
  path: Path,
): (event: unknown) => boolean {
  const cased = modifiers.includes('cased');
  const norm = (s: string): string => (cased ? s : s.toLowerCase());
  const op = modifiers.includes('contains')
    ? (a: string, b: string) => a.includes(b)
    : modifiers.includes('startswith')
      ? (a: string, b: string) => a.startsWith(b)
      : modifiers.includes('endswith')
        ? (a: string, b: string) => a.endsWith(b)
        : (a: string, b: string) => a === b;
  const refs = list.map((ref) => {
    if (typeof ref !== 'string') throw ruleProblem('|fieldref needs a field name', path);
    return compileFieldGetter(ref);
  });
  const test = (e: unknown, ref: (e: unknown) => unknown[]): boolean => {
    const others = ref(e)
      .map(asText)
      .filter((s): s is string => s !== undefined)
      .map(norm);
    return getter(e).some((v) => {
      const s = asText(v);
      return s !== undefined && others.some((o) => op(norm(s), o));
    });
  };
  const positive: (event: unknown) => boolean = modifiers.includes('all')
    ? (e) => refs.every((r) => test(e, r))
    : (e) => refs.some((r) => test(e, r));
  return modifiers.includes('neq') ? (e) => !positive(e) : positive;
}
