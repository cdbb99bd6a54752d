import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';

/** Lone UTF-16 surrogates are not I-JSON (RFC 7493 §2.1), so RFC 8785 §3.2.2.2 forbids them. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsupported(what: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_JCS_UNSUPPORTED_VALUE', `RFC 8785 cannot canonicalize ${what}`, {
    category: 'input',
  });
}

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function serializeString(value: string): string {
  // The cheap class test first: almost no string holds a surrogate, and the lookbehind is costly.
  if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value))
    throw unsupported('a string with a lone surrogate');
  // RFC 8785 §3.2.2.2: ECMAScript JSON.stringify escaping (only ", \, and controls; \b\t\n\f\r short forms).
  return JSON.stringify(value);
}

function serialize(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      // RFC 8785 §3.2.2.3: ECMAScript Number serialization; -0 becomes "0"; NaN/Infinity are not JSON.
      if (!Number.isFinite(value)) throw unsupported(String(value));
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(serializeString(value));
      return;
    case 'object':
      break;
    default:
      throw unsupported(`a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (item === undefined) throw unsupported('undefined in an array');
      serialize(item, out);
    });
    out.push(']');
    return;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    serialize(withToJson.toJSON(), out);
    return;
  }
  // RFC 8785 §3.2.3: members sorted by their names' UTF-16 code units; JS string comparison is exactly that.
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  out.push('{');
  entries.forEach(([key, item], i) => {
    if (i > 0) out.push(',');
    out.push(serializeString(key), ':');
    serialize(item, out);
  });
  out.push('}');
}

/**
 * RFC 8785 JSON Canonicalization Scheme over an already-parsed value. Object members whose value is
 * `undefined` are omitted, as JSON.stringify does. The caller is responsible for having parsed the
 * input without losing precision or duplicate names (research/ledger.md §6).
 */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  serialize(value, out);
  return out.join('');
}
