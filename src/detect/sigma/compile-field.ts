import { RE2JS } from 're2js';
import { ruleProblem } from './errors.js';
import { asNumber, asText } from './event-value.js';
import { compileFieldRef } from './field-ref.js';
import { allScalars, compileFieldGetter } from './field-lookup.js';
import { inNetwork, parseCidr } from './cidr.js';
import { compilePattern, escapeLiteral, tokenize } from './wildcard-pattern.js';
import { TIME_PARTS, timePart, type TimePart } from './time-part.js';
import { base64Offsets, toBytes, utf16, windash, type Encoded } from './value-encodings.js';

/** A compiled search: true when the event matches. */
export type EventPredicate = (event: unknown) => boolean;
type ValueTest = (value: unknown) => boolean;
type Path = readonly (string | number)[];

/** Every modifier of sigma-appendix-modifiers (Sigma 2.1.0). */
const KNOWN = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'lt',
  'lte',
  'gt',
  'gte',
  'expand',
  'fieldref',
  'cased',
  'neq',
  ...TIME_PARTS,
]);
/** pySigma's long names for the regex flags. */
const ALIASES: Record<string, string> = { ignorecase: 'i', multiline: 'm', dotall: 's' };
const COMPARE = ['lt', 'lte', 'gt', 'gte'] as const;
const PLACEHOLDER = /%[^%\s]+%/;

/** RE2 flag bits for the Sigma regex sub-modifiers |i, |m, |s. */
const RE2_FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/**
 * Rule patterns run in linear time (RE2 semantics): a backtracking engine lets one rule such as
 * `^(a+)+$` and one 41-character event field hang detection for minutes (classic ReDoS). RE2 also
 * reads PCRE's leading `(?i)` style inline flags. Constructs RE2 cannot run in linear time
 * (backreferences, lookaround) are refused at load, naming the rule file and field.
 */
function compileRegex(source: string, flags: readonly string[], path: Path): RE2JS {
  const bits = flags.reduce((acc, f) => acc | (RE2_FLAGS[f] ?? 0), 0);
  try {
    return RE2JS.compile(source, bits);
  } catch (e) {
    throw ruleProblem(
      `regular expression ${JSON.stringify(source)} is invalid or not supported by the linear-time (RE2) engine: ${(e as Error).message}`,
      path,
    );
  }
}

function plainText(text: string): string {
  return tokenize(text)
    .map((t) => ('lit' in t ? t.lit : t.wild))
    .join('');
}

/** One value of a field entry → a test of one event value. */
function compileValue(raw: unknown, mods: readonly string[], path: Path): ValueTest | 'null' {
  const has = (m: string): boolean => mods.includes(m);
  const cased = has('cased');
  if (raw === null) {
    if (mods.some((m) => m !== 'all' && m !== 'neq'))
      throw ruleProblem('null cannot take value modifiers', path);
    return 'null';
  }
  if (typeof raw === 'object') throw ruleProblem('a value must be a string, number, boolean or null', path);
  const cmp = COMPARE.find((m) => has(m));
  if (cmp) {
    if (typeof raw !== 'number') throw ruleProblem(`|${cmp} needs a number`, path);
    return (v) => {
      const n = asNumber(v);
      if (n === undefined) return false;
      return cmp === 'lt' ? n < raw : cmp === 'lte' ? n <= raw : cmp === 'gt' ? n > raw : n >= raw;
    };
  }
  const text = String(raw);
  if (has('expand') && PLACEHOLDER.test(text))
    throw ruleProblem(
      `placeholder ${PLACEHOLDER.exec(text)?.[0] ?? ''} has no configured value`,
      path,
      'SIGMA_UNRESOLVED_PLACEHOLDER',
    );
  if (has('cidr')) {
    const net = parseCidr(text);
    if (!net) throw ruleProblem(`invalid CIDR ${JSON.stringify(text)}`, path);
    return (v) => typeof v === 'string' && inNetwork(net, v);
  }
  if (has('re')) {
    if (['contains', 'startswith', 'endswith', 'base64', 'base64offset', 'windash'].some(has))
      throw ruleProblem('|re cannot be combined with string or encoding modifiers', path);
    const re = compileRegex(
      text,
      ['i', 'm', 's'].filter((f) => has(f)),
      path,
    );
    return (v) => {
      const s = asText(v);
      return s !== undefined && re.test(s);
    };
  }
  if (['i', 'm', 's'].some(has)) throw ruleProblem('regex flags i/m/s need |re', path);
  // Transformations apply left to right, as written in the key.
  let values: Encoded[] = [{ text, literal: false }];
  for (const m of mods) {
    if (m === 'windash')
      values = values.flatMap<Encoded>((v) =>
        'text' in v ? windash(v.text).map((t) => ({ text: t, literal: v.literal })) : [v],
      );
    else if (m === 'utf16le' || m === 'utf16be' || m === 'utf16' || m === 'wide')
      values = values.map((v) => ({
        bytes: utf16(
          'text' in v ? plainText(v.text) : v.bytes.toString('latin1'),
          m === 'wide' ? 'utf16le' : m,
        ),
      }));
    else if (m === 'base64')
      values = values.map((v) => ({ text: toBytes(v, plainText).toString('base64'), literal: true }));
    else if (m === 'base64offset')
      values = values.flatMap((v) =>
        base64Offsets(toBytes(v, plainText)).map((t) => ({ text: t, literal: true })),
      );
  }
  const tests = values.map((v) => {
    let pattern =
      'bytes' in v ? escapeLiteral(v.bytes.toString('latin1')) : v.literal ? escapeLiteral(v.text) : v.text;
    if (has('contains')) pattern = `*${pattern}*`;
    else if (has('startswith')) pattern = `${pattern}*`;
    else if (has('endswith')) pattern = `*${pattern}`;
    return compilePattern(tokenize(pattern), cased);
  });
  return (v) => {
    const s = asText(v);
    if (s === undefined) return false;
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}

export interface FieldEntryOptions {
  /** Field name, or undefined for keyword search over the whole event. */
  readonly field: string | undefined;
  readonly modifiers: readonly string[];
  readonly value: unknown;
  readonly path: Path;
}

/** `field|mod1|mod2: value(s)` → predicate. Lists are OR unless `|all` makes them AND. */
export function compileFieldEntry({
  field,
  modifiers: written,
  value,
  path,
}: FieldEntryOptions): EventPredicate {
  const modifiers = written.map((m) => ALIASES[m] ?? m);
  for (const m of modifiers) if (!KNOWN.has(m)) throw ruleProblem(`unknown modifier |${m}`, path);
  const raw = field === undefined ? (e: unknown) => allScalars(e) : compileFieldGetter(field);
  const part = TIME_PARTS.find((t) => modifiers.includes(t));
  const getter = part === undefined ? raw : timeGetter(raw, part);
  const has = (m: string): boolean => modifiers.includes(m);
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw ruleProblem('empty value list', path);
  if (has('exists')) {
    if (typeof value !== 'boolean') throw ruleProblem('|exists needs true or false', path);
    return (e) => getter(e).some((v) => v !== undefined) === value;
  }
  if (has('fieldref')) return compileFieldRef(getter, list, modifiers, path);
  const tests = list.map((v, i) => compileValue(v, modifiers, Array.isArray(value) ? [...path, i] : path));
  if (has('all') && !Array.isArray(value) && field !== undefined)
    throw ruleProblem('|all needs a list of values', path);
  // Fast path for the common Okta shape `eventType: [a, b, c]`: plain values, no modifiers, no
  // wildcards → one lower-cased set lookup per event value instead of one comparison per value.
  const plain =
    list.every((v) => typeof v === 'string' && !/[*?\\]/.test(v)) || list.every((v) => typeof v === 'number');
  if (modifiers.length === 0 && plain && list.length > 1 && field !== undefined) {
    const wanted = new Set(list.map((v) => String(v).toLowerCase()));
    return (e) => {
      for (const v of getter(e)) {
        const s = asText(v);
        if (s !== undefined && wanted.has(s.toLowerCase())) return true;
      }
      return false;
    };
  }
  const one = (t: ValueTest | 'null', values: unknown[]): boolean =>
    t === 'null' ? values.length === 0 || values.some((v) => v === null) : values.some(t);
  const positive: EventPredicate = has('all')
    ? (e) => {
        const values = getter(e);
        return tests.every((t) => one(t, values));
      }
    : (e) => {
        const values = getter(e);
        for (const t of tests) if (one(t, values)) return true;
        return false;
      };
  return has('neq') ? (e) => !positive(e) : positive;
}

/** Reads the UTC component of each timestamp value (time modifiers). */
function timeGetter(raw: (e: unknown) => unknown[], part: TimePart): (e: unknown) => unknown[] {
  return (e) =>
    raw(e).flatMap((v) => {
      const n = timePart(v, part);
      return n === undefined ? [] : [n];
    });
}
