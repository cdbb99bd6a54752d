import { ruleProblem } from './errors.js';
import type { EventPredicate } from './compile-field.js';

/**
 * Sigma condition grammar (sigma-rules-specification §Condition): `and`, `or`, `not`, parentheses,
 * `1 of <pattern>`, `all of <pattern>`, `them`. Binding from loosest: or, and, not, x of, ( ).
 * pySigma also accepts `any of` as `1 of`. Compiles straight to closures over the identifiers.
 */
type Path = readonly (string | number)[];

/**
 * How deep parentheses and `not` may nest. Real rules nest a few levels; a hostile one 5,000 deep
 * would overflow the parser's stack (and then the matcher's), so it is refused as an invalid rule.
 */
export const MAX_CONDITION_DEPTH = 64;

function lex(text: string, path: Path): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    tokens.push(m[1] ?? '');
    end = re.lastIndex;
  }
  if (text.slice(end).trim() !== '') throw ruleProblem(`cannot read condition ${JSON.stringify(text)}`, path);
  return tokens;
}

function globToRegExp(pattern: string): RegExp {
  const src = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${src}$`);
}

/** How a condition combines its identifiers' meanings: predicates, or anything else folded the same way. */
export interface ConditionAlgebra<T> {
  and(parts: readonly T[]): T;
  or(parts: readonly T[]): T;
  not(inner: T): T;
}

const PREDICATES: ConditionAlgebra<EventPredicate> = {
  and: (parts) => {
    const [a, b] = parts;
    if (parts.length === 1 && a) return a;
    if (parts.length === 2 && a && b) return (e) => a(e) && b(e);
    return (e) => parts.every((p) => p(e));
  },
  or: (parts) => {
    const [a] = parts;
    if (parts.length === 1 && a) return a;
    return (e) => parts.some((p) => p(e));
  },
  not: (inner) => (e) => !inner(e),
};

export function compileCondition(
  text: string,
  identifiers: ReadonlyMap<string, EventPredicate>,
  path: Path,
): EventPredicate {
  return foldCondition(text, identifiers, PREDICATES, path);
}

/** Parses a condition and folds it over the identifiers' values with `algebra`. */
export function foldCondition<T>(
  text: string,
  identifiers: ReadonlyMap<string, T>,
  algebra: ConditionAlgebra<T>,
  path: Path,
): T {
  const tokens = lex(text, path);
  let pos = 0;
  const fail = (why: string): never => {
    throw ruleProblem(`condition ${JSON.stringify(text)}: ${why}`, path);
  };
  const peek = (): string | undefined => tokens[pos]?.toLowerCase();

  const resolve = (pattern: string): T[] => {
    const names = [...identifiers.keys()];
    const picked =
      pattern === 'them'
        ? names.filter((n) => !n.startsWith('_'))
        : names.filter((n) => globToRegExp(pattern).test(n));
    if (picked.length === 0) fail(`no search identifier matches ${JSON.stringify(pattern)}`);
    return picked.map((n) => identifiers.get(n) as T);
  };

  let depth = 0;
  const nested = (inner: () => T): T => {
    if (++depth > MAX_CONDITION_DEPTH) fail(`nests deeper than ${MAX_CONDITION_DEPTH} levels`);
    const result = inner();
    depth--;
    return result;
  };

  const primary = (): T => {
    const tok = tokens[pos];
    const low = peek();
    if (tok === undefined) return fail('unexpected end');
    if (tok === '(') {
      pos++;
      const inner = nested(orExpr);
      if (tokens[pos] !== ')') fail('missing )');
      pos++;
      return inner;
    }
    if ((low === '1' || low === 'all' || low === 'any') && tokens[pos + 1]?.toLowerCase() === 'of') {
      const target = tokens[pos + 2];
      if (target === undefined) fail('"of" needs a pattern');
      pos += 3;
      const parts = resolve(target ?? '');
      return low === 'all' ? algebra.and(parts) : algebra.or(parts);
    }
    if (low === 'and' || low === 'or' || low === 'not' || tok === ')' || low === 'of')
      fail(`unexpected ${tok}`);
    if (tok.includes('*')) fail(`wildcard ${tok} needs "1 of" or "all of"`);
    if (!identifiers.has(tok)) fail(`unknown search identifier ${JSON.stringify(tok)}`);
    pos++;
    return identifiers.get(tok) as T;
  };
  const notExpr = (): T => {
    if (peek() === 'not') {
      pos++;
      return algebra.not(nested(notExpr));
    }
    return primary();
  };
  const andExpr = (): T => {
    const parts = [notExpr()];
    while (peek() === 'and') {
      pos++;
      parts.push(notExpr());
    }
    return algebra.and(parts);
  };
  function orExpr(): T {
    const parts = [andExpr()];
    while (peek() === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return algebra.or(parts);
  }
  const result = orExpr();
  if (pos !== tokens.length) fail(`unexpected ${tokens[pos] ?? ''}`);
  return result;
}
