import { VigilError, type ErrorCategory, type ErrorCode } from '../core/vigil-error.js';
import { encodeLeafEnvelope, eventDigest, leafEnvelopeFor, rawDigest } from '../ledger/leaf-envelope.js';
import { HASH_SIZE, hashLeaf } from '../ledger/merkle-hash.js';
import type { EventColumns } from '../sources/event-columns.js';
import type { PageFormat, RawEvent } from '../sources/page-format.js';

/**
 * One event of a page, ready for the store: everything that does not depend on what is already
 * stored (its query columns, its leaf and the leaf's hash) is computed, so this work can run on
 * another thread while the store writes the previous page. The leaf index is not: it is assigned
 * when the event turns out to be new, inside the store's transaction.
 */
export interface PreparedEvent extends RawEvent {
  readonly columns: EventColumns;
  /** The leaf envelope bytes (leaf-envelope.ts). */
  readonly leaf: Buffer;
  /** RFC 6962 hash of `leaf`. */
  readonly leafHash: Buffer;
}

/** Splits, checks and prepares one page on this thread. */
export function preparePage(format: PageFormat, source: string, body: string): PreparedEvent[] {
  const hints: number[] = [];
  const spans = format.spans(body, hints);
  const events: PreparedEvent[] = [];
  for (let i = 0; i < spans.length; i += 2) {
    const e = format.check(body.slice(spans[i], spans[i + 1]), i / 2, hints[i / 2]);
    const leaf = encodeLeafEnvelope(leafEnvelopeFor(source, e.uuid, e.published, e.value, e.raw));
    events.push({ ...e, columns: format.columns(e), leaf, leafHash: hashLeaf(leaf) });
  }
  return events;
}

/**
 * A prepared page as it crosses from a worker thread: the events' text stays in the body the
 * receiver already holds (only [start, end) spans travel), and the events' canonical digests travel
 * in one transferred buffer. Structured clone copies a Node Buffer's whole 8 KiB pool slab, so
 * per-event Buffers must not be posted.
 *
 * The worker does the costly part (parsing, the RFC 8785 form, both digests, the columns); the
 * receiver builds the leaves of the events that turn out to be new, which keeps the writer thread
 * and the worker about equally busy.
 */
export interface PreparedPageWire {
  readonly spans: Int32Array;
  readonly columns: EventColumns[];
  /** Per event, the 32-byte SHA-256 of its canonical form, then that of its verbatim bytes. */
  readonly digests: Uint8Array;
}

/** The worker side: prepares a page and packs it for posting (transfer `eventDigests.buffer`). */
export function preparePageWire(format: PageFormat, body: string): PreparedPageWire {
  const hints: number[] = [];
  const spans = format.spans(body, hints);
  const count = spans.length / 2;
  const columns: EventColumns[] = new Array<EventColumns>(count);
  const digests = new Uint8Array(count * 2 * HASH_SIZE);
  for (let k = 0; k < count; k++) {
    const e = format.check(body.slice(spans[2 * k], spans[2 * k + 1]), k, hints[k]);
    digests.set(eventDigest(e.value, e.raw), 2 * k * HASH_SIZE);
    digests.set(rawDigest(e.raw), (2 * k + 1) * HASH_SIZE);
    columns[k] = format.columns(e);
  }
  return { spans: Int32Array.from(spans), columns, digests };
}

/**
 * An event unpacked from the wire. Its leaf is built on first use (only new events need one), and
 * its parsed value is only needed by detection: it is parsed on first use rather than cloned across
 * threads for every event.
 */
class WireEvent implements PreparedEvent {
  #value: Record<string, unknown> | undefined;
  #leaf: Buffer | undefined;
  #leafHash: Buffer | undefined;
  constructor(
    private readonly source: string,
    readonly raw: string,
    readonly columns: EventColumns,
    private readonly eventSha256: string,
    private readonly rawSha256: string,
  ) {}
  get uuid(): string {
    return this.columns.provider_id;
  }
  get published(): string {
    return this.columns.published;
  }
  get publishedMs(): number {
    return this.columns.published_ms;
  }
  get value(): Record<string, unknown> {
    return (this.#value ??= JSON.parse(this.raw) as Record<string, unknown>);
  }
  get leaf(): Buffer {
    return (this.#leaf ??= encodeLeafEnvelope({
      source: this.source,
      eventId: this.uuid,
      published: this.published,
      eventSha256: this.eventSha256,
      rawSha256: this.rawSha256,
    }));
  }
  get leafHash(): Buffer {
    return (this.#leafHash ??= hashLeaf(this.leaf));
  }
}

/** The receiving side: the page's events, their text sliced from `body` (the body that was sent). */
export function fromPreparedPageWire(source: string, body: string, wire: PreparedPageWire): PreparedEvent[] {
  const { spans, columns, digests } = wire;
  const hex = Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength).toString('hex');
  const width = 2 * HASH_SIZE; // hex digits per digest
  const events: PreparedEvent[] = new Array<PreparedEvent>(columns.length);
  for (let k = 0; k < columns.length; k++) {
    events[k] = new WireEvent(
      source,
      body.slice(spans[2 * k], spans[2 * k + 1]),
      columns[k]!,
      hex.slice(2 * k * width, (2 * k + 1) * width),
      hex.slice((2 * k + 1) * width, (2 * k + 2) * width),
    );
  }
  return events;
}

/** A VigilError as it crosses a thread boundary (structured clone keeps only an Error's message). */
export interface ErrorWire {
  readonly code: ErrorCode;
  readonly message: string;
  readonly category: ErrorCategory;
  readonly details: Record<string, unknown>;
}

export function toErrorWire(error: unknown): ErrorWire {
  if (error instanceof VigilError)
    return {
      code: error.code,
      message: error.message,
      category: error.category,
      details: { ...error.details },
    };
  return {
    code: 'CUSTODY_PREPARER_FAILED',
    message: error instanceof Error ? error.message : String(error),
    category: 'internal',
    details: {},
  };
}

export function fromErrorWire(wire: ErrorWire): VigilError {
  return new VigilError(wire.code, wire.message, { category: wire.category, details: wire.details });
}
