import { z } from 'zod';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { canonicalize } from './jcs.js';
import { sha256 } from './merkle-hash.js';

/**
 * DESIGN.md "Leaf": what the tree commits to for one provider event. The event itself is stored
 * beside the ledger; the leaf carries only identifiers and the event's digest, so no personal data
 * enters the tree and every entry stays far below the 65,535-byte tlog-tiles entry limit.
 *
 * Wire form (the leaf bytes): the UTF-8 RFC 8785 canonical JSON of
 *   {"eventId":…,"eventSha256":<64 lower-case hex>,"published":…,"source":…,"v":1}
 * `eventSha256` is hex (not base64) so a person can compare it with `sha256sum` output.
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
}

export const LEAF_ENVELOPE_VERSION = 1;

/** Far below tlog-tiles' uint16 entry length prefix (c2sp.org/tlog-tiles "entries"). */
export const MAX_LEAF_BYTES = 8192;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const wireSchema = z
  .object({
    v: z.literal(LEAF_ENVELOPE_VERSION),
    source: z.string().min(1),
    eventId: z.string().min(1),
    published: z.string().min(1),
    eventSha256: z.string().regex(HEX_SHA256),
  })
  .strict();

function invalid(reason: string, cause?: unknown): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_ENVELOPE_INVALID', `leaf envelope invalid: ${reason}`, {
    category: 'check',
    details: { reason },
    cause,
  });
}

/** SHA-256 of the RFC 8785 canonical form of the event. */
export function eventDigest(event: unknown): Buffer {
  return sha256(canonicalize(event));
}

/**
 * Hot path (one call per ingested event): checks by hand and writes the members in RFC 8785 order
 * (eventId < eventSha256 < published < source < v) rather than going through zod and a generic sort.
 */
export function encodeLeafEnvelope(envelope: LeafEnvelope): Buffer {
  const { source, eventId, published, eventSha256 } = envelope;
  for (const [name, value] of [
    ['source', source],
    ['eventId', eventId],
    ['published', published],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw invalid(`${name} must be a non-empty string`);
  }
  if (typeof eventSha256 !== 'string' || !HEX_SHA256.test(eventSha256))
    throw invalid('eventSha256 must be 64 lower-case hex digits');
  const text = `{"eventId":${canonicalize(eventId)},"eventSha256":"${eventSha256}","published":${canonicalize(published)},"source":${canonicalize(source)},"v":${LEAF_ENVELOPE_VERSION}}`;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  return bytes;
}

/** Strict: the bytes must be exactly the canonical encoding of a valid version-1 envelope. */
export function decodeLeafEnvelope(bytes: Uint8Array): LeafEnvelope {
  if (bytes.length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  let text: string;
  let json: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('not UTF-8 JSON', error);
  }
  const parsed = wireSchema.safeParse(json);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (canonicalize(parsed.data) !== text) throw invalid('not in RFC 8785 canonical form');
  const { source, eventId, published, eventSha256 } = parsed.data;
  return { source, eventId, published, eventSha256 };
}

/** The envelope for an event: convenience for custody, which knows the source and the provider's fields. */
export function leafEnvelopeFor(
  source: string,
  eventId: string,
  published: string,
  event: unknown,
): LeafEnvelope {
  return { source, eventId, published, eventSha256: eventDigest(event).toString('hex') };
}
