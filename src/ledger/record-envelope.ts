import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { canonicalize } from './jcs.js';
import { MAX_LEAF_BYTES } from './leaf-envelope.js';
import { LEDGER_KINDS, type LedgerKind } from './ledger-log.js';
import { sha256 } from './merkle-hash.js';

/**
 * docs/design.md "Leaf envelopes": what a log of any kind but `events` commits to for one record
 * (a configuration snapshot, a canary result, a containment action, a console audit record). The
 * record itself is stored beside the ledger; the leaf carries its kind, id, time and the digest of
 * its exact stored bytes, so no personal data enters the tree.
 *
 * Wire form: the UTF-8 RFC 8785 canonical JSON of
 *   {"kind":…,"recordId":…,"recordSha256":<hex>,"source":…,"time":<RFC 3339 UTC>,"v":1}
 */
export interface RecordEnvelope {
  /** The record's kind, never `events` (events have their own envelope). */
  readonly kind: RecordKind;
  /** The record's id, unique within its log. */
  readonly recordId: string;
  /** Lower-case hex SHA-256 of the record's exact stored bytes. */
  readonly recordSha256: string;
  /** The source the log belongs to, e.g. "okta". */
  readonly source: string;
  /** When the record was made, RFC 3339 in UTC (`Z`), to the millisecond at most. */
  readonly time: string;
}

/** Every ledger kind but the provider's events. */
export type RecordKind = Exclude<LedgerKind, 'events'>;
export const RECORD_KINDS = LEDGER_KINDS.filter((k): k is RecordKind => k !== 'events');

export const RECORD_ENVELOPE_VERSION = 1;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** RFC 3339 in UTC, as `Date.prototype.toISOString` writes it, with or without milliseconds. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function invalid(reason: string, cause?: unknown): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_ENVELOPE_INVALID', `record envelope invalid: ${reason}`, {
    category: 'check',
    details: { reason },
    cause,
  });
}

export function isRecordKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && (RECORD_KINDS as readonly string[]).includes(kind);
}

/** Whether `time` is an RFC 3339 UTC time that names a real instant. */
export function isRecordTime(time: unknown): time is string {
  if (typeof time !== 'string' || !UTC_TIME.test(time)) return false;
  // A real instant: Date rolls 30 February over to March, so the time must survive the round trip.
  const ms = Date.parse(time);
  return (
    !Number.isNaN(ms) &&
    new Date(ms).toISOString() === (time.length === 20 ? time.replace('Z', '.000Z') : time)
  );
}

function checked(envelope: RecordEnvelope): RecordEnvelope {
  if (!isRecordKind(envelope.kind))
    throw invalid(`kind: ${JSON.stringify(envelope.kind)} is not a record kind`);
  for (const name of ['recordId', 'source'] as const) {
    const value = envelope[name];
    if (typeof value !== 'string' || value === '') throw invalid(`${name}: must be a non-empty string`);
  }
  if (typeof envelope.recordSha256 !== 'string' || !HEX_SHA256.test(envelope.recordSha256))
    throw invalid('recordSha256: must be 64 lower-case hex digits');
  if (!isRecordTime(envelope.time))
    throw invalid(`time: ${JSON.stringify(envelope.time)} is not RFC 3339 UTC`);
  return envelope;
}

export function encodeRecordEnvelope(envelope: RecordEnvelope): Buffer {
  const { kind, recordId, recordSha256, source, time } = checked(envelope);
  const bytes = Buffer.from(
    canonicalize({ kind, recordId, recordSha256, source, time, v: RECORD_ENVELOPE_VERSION }),
    'utf8',
  );
  if (bytes.length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  return bytes;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict: the bytes must be exactly the canonical encoding of a valid version 1 record envelope
 * (re-encoding and comparing refuses unknown members, other spacing and other order).
 */
export function decodeRecordEnvelope(bytes: Uint8Array | string): RecordEnvelope {
  const length = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length;
  if (length > MAX_LEAF_BYTES) throw invalid(`longer than ${MAX_LEAF_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : UTF8.decode(bytes));
  } catch (error) {
    throw invalid('not UTF-8 JSON', error);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid('not a JSON object');
  const m = json as Record<string, unknown>;
  if (m['v'] !== RECORD_ENVELOPE_VERSION) throw invalid(`v: unsupported version ${JSON.stringify(m['v'])}`);
  const envelope = checked({
    kind: m['kind'] as RecordKind,
    recordId: m['recordId'] as string,
    recordSha256: m['recordSha256'] as string,
    source: m['source'] as string,
    time: m['time'] as string,
  });
  const canonical = encodeRecordEnvelope(envelope);
  if (typeof bytes === 'string' ? canonical.toString('utf8') !== bytes : !canonical.equals(bytes))
    throw invalid('not in RFC 8785 canonical form, or unknown members');
  return envelope;
}

/** The envelope for a record whose exact stored bytes are `body`. */
export function recordEnvelopeFor(
  source: string,
  kind: RecordKind,
  recordId: string,
  time: string,
  body: string | Uint8Array,
): RecordEnvelope {
  return checked({ kind, recordId, recordSha256: sha256(body).toString('hex'), source, time });
}
