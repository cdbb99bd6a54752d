import { invalidFilter, OktaApiError } from '../errors.js';

/**
 * The SCIM filter subset Okta's System Log accepts (research/okta-api.md §1.2): `eq ne co sw ew pr gt
 * ge lt le`, `and`, `or`, `not`, parentheses; "all operators except [ ] are supported"; `published`
 * cannot be filtered; `co` on debugData url/requestUri is refused (E0000031).
 */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode }
  | { kind: 'compare'; path: string[]; op: CompareOp; value: string | number | boolean | null }
  | { kind: 'present'; path: string[] };

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const FILTERABLE_ROOTS = new Set([
  'uuid',
  'eventType',
  'legacyEventType',
  'displayMessage',
  'severity',
  'version',
  'actor',
  'client',
  'device',
  'outcome',
  'target',
  'transaction',
  'debugContext',
  'authenticationContext',
  'securityContext',
  'request',
]);
const NO_CONTAINS = new Set(['debugContext.debugData.url', 'debugContext.debugData.requestUri']);

interface Token {
  text: string;
  pos: number;
  quoted: boolean;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, pos: i, quoted: false });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < filter.length && filter[j] !== '"') {
        if (filter[j] === '\\' && j + 1 < filter.length) j++;
        text += filter[j];
        j++;
      }
      if (j >= filter.length)
        throw invalidFilter(`Invalid filter '${filter}': Unterminated string at position ${i}`);
      tokens.push({ text, pos: i, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < filter.length && !' \t()"'.includes(filter[j]!)) j++;
      tokens.push({ text: filter.slice(i, j), pos: i, quoted: false });
      i = j;
    }
  }
  return tokens;
}

export function parseScimFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let k = 0;
  const peek = () => tokens[k];
  const fail = (why: string): never => {
    throw invalidFilter(`Invalid filter '${filter}': ${why}`);
  };
  const word = (t: Token | undefined, w: string) =>
    t !== undefined && !t.quoted && t.text.toLowerCase() === w;

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (word(peek(), 'or')) {
      k++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (word(peek(), 'and')) {
      k++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (word(peek(), 'not')) {
      k++;
      return { kind: 'not', inner: parseUnary() };
    }
    const t = peek();
    if (!t) return fail('Unexpected end of filter');
    if (t.text === '(' && !t.quoted) {
      k++;
      const inner = parseOr();
      if (peek()?.text !== ')') fail(`Expected ')' at position ${peek()?.pos ?? filter.length}`);
      k++;
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    const attr = tokens[k++]!;
    if (attr.quoted) fail(`Expected an attribute at position ${attr.pos}`);
    const path = attr.text.split('.');
    const root = path[0]!;
    if (root === 'published') fail('The published attribute cannot be used in a filter');
    if (!FILTERABLE_ROOTS.has(root)) throw invalidFilter(`field is not valid: ${attr.text}`);
    const opToken = tokens[k++];
    if (!opToken) return fail(`Expected an operator at position ${filter.length}`);
    const op = opToken.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) {
      fail(
        `Unrecognized attribute operator '${opToken.text}' at position ${opToken.pos}. Expected: eq,co,sw,pr,gt,ge,lt,le`,
      );
    }
    if (op === 'co' && NO_CONTAINS.has(attr.text)) {
      throw new OktaApiError(
        400,
        'E0000031',
        `The supplied combination of operator and field is not currently supported. Operator: co, Field: ${attr.text}`,
      );
    }
    const v = tokens[k++];
    if (!v) return fail(`Expected a value at position ${filter.length}`);
    let value: string | number | boolean | null;
    if (v.quoted) value = v.text;
    else if (v.text === 'true' || v.text === 'false') value = v.text === 'true';
    else if (v.text === 'null') value = null;
    else if (/^-?\d+(\.\d+)?$/.test(v.text)) value = Number(v.text);
    else return fail(`Invalid value '${v.text}' at position ${v.pos}`);
    return { kind: 'compare', path, op: op as CompareOp, value };
  };

  const node = parseOr();
  if (k < tokens.length) fail(`Unexpected '${tokens[k]!.text}' at position ${tokens[k]!.pos}`);
  return node;
}

/** Values at a dotted path; arrays (e.g. `target`) fan out so a match on any element counts. */
function valuesAt(value: unknown, path: readonly string[], i = 0): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path, i));
  if (i === path.length) return [value];
  if (value === null || typeof value !== 'object') return [];
  return valuesAt((value as Record<string, unknown>)[path[i]!], path, i + 1);
}

function compare(actual: unknown, op: CompareOp, expected: string | number | boolean | null): boolean {
  if (expected === null) return op === 'eq' ? actual === null : op === 'ne' ? actual !== null : false;
  if (typeof expected === 'string' && typeof actual === 'string') {
    // RFC 7644 §3.4.2.2: string comparisons are case-insensitive unless the attribute is caseExact.
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'co':
        return a.includes(e);
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
    }
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    switch (op) {
      case 'eq':
        return actual === expected;
      case 'ne':
        return actual !== expected;
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
      default:
        return false;
    }
  }
  if (typeof expected === 'boolean')
    return op === 'eq' ? actual === expected : op === 'ne' ? actual !== expected : false;
  return op === 'ne';
}

export function matchesFilter(node: FilterNode, event: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, event) && matchesFilter(node.right, event);
    case 'or':
      return matchesFilter(node.left, event) || matchesFilter(node.right, event);
    case 'not':
      return !matchesFilter(node.inner, event);
    case 'present':
      return valuesAt(event, node.path).some((v) => v !== null && v !== undefined && v !== '');
    case 'compare': {
      const values = valuesAt(event, node.path);
      if (node.op === 'ne') return values.every((v) => compare(v, 'ne', node.value));
      return values.some((v) => compare(v, node.op, node.value));
    }
  }
}
