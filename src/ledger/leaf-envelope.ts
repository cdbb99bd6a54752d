import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { canonicalize, canonicalizeParsed, canonicalString } from './jcs.js';
import { sha256 } from './merkle-hash.js';

/**
 * docs/design.md "Leaf": what the tree commits to for one provider event. The event itself is stored
 * beside the ledger; the leaf carries only identifiers and the event's digests, so no personal data
 * enters the tree and every entry stays far below the 65,535-byte tlog-tiles entry limit.
 *
 * Wire form (the leaf bytes): the UTF-8 RFC 8785 canonical JSON of
 *   v2: {"eventId":…,"eventSha256":<hex>,"published":…,"rawSha256":<hex>,"source":…,"v":2}
 *   v1: {"eventId":…,"eventSha256":<hex>,"published":…,"source":…,"v":1}
 * `eventSha256` digests the canonical event, so anyone can check an event however it was
 * re-serialized. `rawSha256` (v2, what custody writes) digests the exact bytes the provider sent and
 * the store keeps: `sha256sum` of a stored event checks it, and `vigil verify` checks every event
 * without re-parsing it. Digests are lower-case hex so a person can compare them with `sha256sum`.
 */
export interface LeafEnvelope {
  /** The ledger's source name, e.g. "okta". */
  source: string;
  /** The provider's event id (Okta: `uuid`). */
  eventId: string;
  /** The provider's published time, verbatim as the provider sent it. */
  published: string;
  /** Lower-case hex SHA-256 of canonicalize(event). */
  eventSha256: string;
  /** Lower-case hex SHA-256 of the event's verbatim UTF-8 bytes (v2 envelopes). */
  rawSha256?: string;
}

/** The version custody writes; version 1 (no `rawSha256`) is still read. */
export const LEAF_ENVELOPE_VERSION = 2;

/** Far below tlog-tiles' uint16 entry length prefix (c2sp.org/tlog-tiles "entries"). */
export const MAX_LEAF_BYTES = 8192;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function invalid(reason: string, cause?: unknown): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_ENVELOPE_INVALID', `leaf envelope invalid: ${reason}`, {
    category: 'check',
    details: { reason },
    cause,
  });
}

/**
 * SHA-256 of the RFC 8785 canonical form of the event. With `raw`, the text `event` was parsed
 * from, the canonical form is built on the faster path that text allows (see canonicalizeParsed).
 */
export function eventDigest(event: unknown, raw?: string): Buffer {
  return sha256(raw === undefined ? canonicalize(event) : canonicalizeParsed(raw, event));
}

/** SHA-256 of the event's verbatim text as UTF-8, the bytes the store keeps. */
export function rawDigest(raw: string | Uint8Array): Buffer {
  return sha256(raw);
}

/**
 * Hot path (one call per ingested event): checks by hand and writes the members in RFC 8785 order
 * (eventId < eventSha256 < published < rawSha256 < source < v) rather than through a generic sort.
 */
export function encodeLeafEnvelope(envelope: LeafEnvelope): Buffer {
  const { source, eventId, published, eventSha256, rawSha256 } = envelope;
  for (const [name, value] of [
    ['source', source],
    ['eventId', eventId],
    ['published', published],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw invalid(`${name} must be a non-empty string`);
  }
  if (typeof eventSha256 !== 'string' || !HEX_SHA256.test(eventSha256))
    throw invalid('eventSha256 must be 64 lower-case hex digits');
  if (rawSha256 !== undefined && (typeof rawSha256 !== 'string' || !HEX_SHA256.test(rawSha256)))
    throw invalid('rawSha256 must be 64 lower-case hex digits');
  const raw = rawSha256 === undefined ? '' : `"rawSha256":"${rawSha256}",`;
  const version = rawSha256 === undefined ? 1 : 2;
  const text = `{"eventId":${canonicalString(eventId)},"eventSha256":"${eventSha256}","published":${canonicalString(published)},${raw}"source":${canonicalString(source)},"v":${version}}`;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  return bytes;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A v2 envelope in canonical form whose strings are non-empty and need no escape. */
const PLAIN_V2 =
  // eslint-disable-next-line no-control-regex -- controls are what a plain string must not hold
  /^\{"eventId":"([^"\\\u0000-\u001f]+)","eventSha256":"([0-9a-f]{64})","published":"([^"\\\u0000-\u001f]+)","rawSha256":"([0-9a-f]{64})","source":"([^"\\\u0000-\u001f]+)","v":2\}$/;

/**
 * Strict: the bytes must be exactly the canonical encoding of a valid v1 or v2 envelope. Runs once
 * per leaf in `vigil verify`, so the members are checked by hand and the canonical form is checked
 * by re-encoding and comparing, which also refuses unknown members and any other spacing or order.
 */
export function decodeLeafEnvelope(bytes: Uint8Array | string): LeafEnvelope {
  const length = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length;
  if (length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  let text: string;
  let json: unknown;
  try {
    // Text is taken as the UTF-8 bytes it encodes to (the caller vouches that is what is stored).
    text = typeof bytes === 'string' ? bytes : UTF8.decode(bytes);
  } catch (error) {
    throw invalid('not UTF-8 JSON', error);
  }
  // Custody's envelopes, whose strings need no escaping: the pattern admits exactly the bytes that
  // re-encoding would produce (a fatal UTF-8 decode yields no lone surrogate), so the general path
  // below would accept the same envelope; it is only faster.
  const plain = PLAIN_V2.exec(text);
  if (plain) {
    const [, eventId, eventSha256, published, rawSha256, source] = plain as unknown as string[];
    return {
      source: source!,
      eventId: eventId!,
      published: published!,
      eventSha256: eventSha256!,
      rawSha256,
    };
  }
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('not UTF-8 JSON', error);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid('not a JSON object');
  const m = json as Record<string, unknown>;
  if (m['v'] !== 1 && m['v'] !== 2) throw invalid(`v: unsupported version ${JSON.stringify(m['v'])}`);
  const str = (name: string): string => {
    const value = m[name];
    if (typeof value !== 'string' || value === '') throw invalid(`${name}: must be a non-empty string`);
    return value;
  };
  const envelope: LeafEnvelope = {
    source: str('source'),
    eventId: str('eventId'),
    published: str('published'),
    eventSha256: str('eventSha256'),
  };
  if (m['v'] === 2) envelope.rawSha256 = str('rawSha256');
  else if ('rawSha256' in m) throw invalid('rawSha256: not allowed in a version 1 envelope');
  const canonical = encodeLeafEnvelope(envelope);
  if (typeof bytes === 'string' ? canonical.toString('utf8') !== bytes : !canonical.equals(bytes))
    throw invalid('not in RFC 8785 canonical form, or unknown members');
  return envelope;
}

/**
 * The envelope for an event; with its verbatim text (which `event` must be the parse of), a
 * version 2 envelope that also digests that text.
 */
export function leafEnvelopeFor(
  source: string,
  eventId: string,
  published: string,
  event: unknown,
  raw?: string,
): LeafEnvelope {
  const envelope: LeafEnvelope = {
    source,
    eventId,
    published,
    eventSha256: eventDigest(event, raw).toString('hex'),
  };
  if (raw !== undefined) envelope.rawSha256 = rawDigest(raw).toString('hex');
  return envelope;
}
