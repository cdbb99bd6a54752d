import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';

/** Lone UTF-16 surrogates are not I-JSON (RFC 7493 §2.1), so RFC 8785 §3.2.2.2 forbids them. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsupported(what: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_JCS_UNSUPPORTED_VALUE', `RFC 8785 cannot canonicalize ${what}`, {
    category: 'input',
  });
}

/** Anything JSON.stringify would escape, or a surrogate (left to it, so lone ones show as `\udXXX`). */
// eslint-disable-next-line no-control-regex -- the controls are exactly what JSON must escape
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Most strings need no escaping at all; quoting them by hand halves the cost of canonicalizing an event. */
const serializeString = (s: string): string => (NEEDS_ESCAPING.test(s) ? JSON.stringify(s) : '"' + s + '"');

/** Insertion sort: objects have a handful of members, where it beats Array.prototype.sort. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * One value in RFC 8785 form. Strings go through JSON.stringify, whose escaping is exactly
 * §3.2.2.2's (only `"`, `\` and controls; `\b\t\n\f\r` short forms); lone surrogates come out of it
 * as `\udXXX` escapes, which `canonicalize` looks for once over the whole output instead of testing
 * every string (this runs once per ingested event and once per verified event).
 */
function serialize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      // §3.2.2.3: ECMAScript Number serialization; -0 becomes "0"; NaN/Infinity are not JSON.
      if (!Number.isFinite(value)) throw unsupported(String(value));
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw unsupported(`a ${typeof value}`);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw unsupported('undefined in an array');
      out += i === 0 ? serialize(item) : ',' + serialize(item);
    }
    return out + ']';
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialize(withToJson.toJSON());
  const record = value as Record<string, unknown>;
  // §3.2.3: members sorted by their names' UTF-16 code units, which is what `>` and the default sort compare.
  const keys = sortKeys(Object.keys(record));
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += (first ? '' : ',') + serializeString(key) + ':' + serialize(item);
    first = false;
  }
  return out + '}';
}

/**
 * RFC 8785 JSON Canonicalization Scheme over an already-parsed value. Object members whose value is
 * `undefined` are omitted, as JSON.stringify does. The caller is responsible for having parsed the
 * input without losing precision or duplicate names (research/ledger.md §6).
 */
export function canonicalize(value: unknown): string {
  const out = serialize(value);
  // Well-formed JSON.stringify (ES2019) writes a lone surrogate as the escape `\udXXX`; an escaped
  // backslash followed by the letters "ud" is the only other way that text appears, so on a hit the
  // exact check decides.
  if (out.includes('\\ud') && containsLoneSurrogate(value))
    throw unsupported('a string with a lone surrogate');
  return out;
}

/** RFC 8785 form of one string: `canonicalize(s)` for a string, without the walk over a value. */
export function canonicalString(s: string): string {
  if (!s.isWellFormed()) throw unsupported('a string with a lone surrogate');
  return serializeString(s);
}

/**
 * `canonicalize(JSON.parse(text))`, faster when `text` has no backslash: then no string in it can
 * hold a quote, a backslash or a control character (JSON only allows them escaped), and a
 * well-formed text holds no lone surrogate, so every string and name is quoted as it is.
 * Custody calls this once per ingested event.
 */
export function canonicalizeParsed(text: string, value: unknown): string {
  if (text.includes('\\') || !text.isWellFormed()) return canonicalize(value);
  return serializeParsedPlain(value);
}

/**
 * `serialize` for what JSON.parse returns from such text: no undefined, no toJSON, finite numbers,
 * strings that need no escape. The checks it leaves out cost an eighth of an ingested event's
 * canonical digest.
 */
function serializeParsedPlain(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return '"' + value + '"';
    case 'number':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + serializeParsedPlain(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = sortKeys(Object.keys(record));
  let out = '{';
  for (let i = 0; i < keys.length; i++)
    out += (i === 0 ? '"' : ',"') + keys[i]! + '":' + serializeParsedPlain(record[keys[i]!]);
  return out + '}';
}

function containsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsLoneSurrogate);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return containsLoneSurrogate(withToJson.toJSON());
  return Object.entries(value).some(([k, v]) => LONE_SURROGATE.test(k) || containsLoneSurrogate(v));
}
