import { VigilError } from '../../core/vigil-error.js';
import type { SourceErrorCode } from '../errors.js';
import type { RawEvent } from '../page-format.js';
import { providerExcerpt } from '../provider-excerpt.js';
import { rfc3339Ms } from '../rfc3339.js';
import { ambiguity } from '../unambiguous-json.js';

/** An event far larger than any real one (Okta events are a few KiB) is refused, not stored. */
export const MAX_EVENT_BYTES = 64 * 1024;

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const fail = (message: string, details: Record<string, unknown> = {}) =>
  new VigilError<SourceErrorCode>('SOURCE_BAD_PAGE', message, { category: 'external', details });

/**
 * Splits a System Log page (a JSON array) into its elements' exact text, so the store keeps the
 * provider's bytes verbatim, then parses and checks each. Any problem rejects the whole page: a page
 * is stored entirely or not at all.
 */
export function splitPage(body: string): RawEvent[] {
  const members: number[] = [];
  const spans = jsonArraySpans(body, members);
  const events: RawEvent[] = [];
  for (let i = 0; i < spans.length; i += 2)
    events.push(checkEvent(body.slice(spans[i], spans[i + 1]), i / 2, members[i / 2]));
  return events;
}

/**
 * Parses and checks element `index` of a page: an unambiguous JSON object with a uuid, an RFC 3339
 * published time and a type. `members` is the count of its object members when the page scan has it.
 */
export function checkEvent(raw: string, index: number, members?: number): RawEvent {
  if (raw.length > MAX_EVENT_BYTES)
    throw fail(`event ${index} is ${raw.length} bytes, over the ${MAX_EVENT_BYTES}-byte limit`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw fail(`event ${index} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw fail(`event ${index} is not an object`);
  const ambiguous = ambiguity(raw, value, members);
  if (ambiguous !== undefined)
    throw new VigilError<SourceErrorCode>(
      'SOURCE_AMBIGUOUS_JSON',
      `event ${index} is ambiguous JSON: ${ambiguous}`,
      {
        category: 'external',
        details: { index },
      },
    );
  const v = value as Record<string, unknown>;
  const uuid = v['uuid'];
  if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 128)
    throw fail(`event ${index} has no valid uuid`);
  const published = v['published'];
  const publishedMs = typeof published === 'string' ? rfc3339Ms(published) : NaN;
  if (typeof published !== 'string' || Number.isNaN(publishedMs))
    throw fail(`event ${providerExcerpt(uuid, [])} has no RFC 3339 published time`);
  if (typeof v['eventType'] !== 'string')
    throw fail(`event ${providerExcerpt(uuid, [])} has no eventType string`);
  return { raw, value: v, uuid, published, publishedMs };
}

/** The exact text of each top-level element of a JSON array. */
export function splitJsonArray(body: string): string[] {
  const spans = jsonArraySpans(body);
  const out: string[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push(body.slice(spans[i], spans[i + 1]));
  return out;
}

/**
 * Where each top-level element of a JSON array starts and ends, as [start, end) pairs of string
 * indexes (strings and nesting respected). With `members`, also each element's count of `:` outside
 * strings (its object members, see unambiguous-json.ts), counted in the same pass.
 */
export function jsonArraySpans(body: string, members?: number[]): number[] {
  let i = 0;
  const n = body.length;
  const skipWs = () => {
    while (i < n && isWs(body.charCodeAt(i))) i++;
  };
  skipWs();
  if (body[i] !== '[') throw fail('page body is not a JSON array');
  i++;
  const out: number[] = [];
  skipWs();
  if (body[i] === ']') {
    i++;
    skipWs();
    if (i !== n) throw fail('trailing data after the JSON array');
    return out;
  }
  for (;;) {
    skipWs();
    const start = i;
    let depth = 0;
    let colons = 0;
    for (; i < n; i++) {
      const c = body.charCodeAt(i);
      if (c === 0x3a) colons++;
      else if (c === 0x22) {
        // Most of an event is string content: jump to each candidate closing quote and count the
        // backslashes before it (an odd count escapes it).
        for (;;) {
          i = body.indexOf('"', i + 1);
          if (i === -1) throw fail('page body is truncated');
          let slashes = 0;
          while (body.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
          if (slashes % 2 === 0) break;
        }
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) break;
        depth--;
      } else if (c === 0x2c && depth === 0) break;
    }
    if (i >= n) throw fail('page body is truncated');
    let end = i;
    while (end > start && isWs(body.charCodeAt(end - 1))) end--;
    out.push(start, end);
    members?.push(colons);
    if (body[i] === ']') {
      i++;
      skipWs();
      if (i !== n) throw fail('trailing data after the JSON array');
      return out;
    }
    i++; // the comma
  }
}
