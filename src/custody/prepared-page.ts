import { VigilError, type ErrorCategory } from '../core/vigil-error.js';
import { encodeLeafEnvelope, leafEnvelopeFor } from '../ledger/leaf-envelope.js';
import { HASH_SIZE, hashLeaf } from '../ledger/merkle-hash.js';
import { normalizeOktaEvent, type OktaColumns } from '../sources/okta/normalize.js';
import { checkEvent, jsonArraySpans, type RawEvent } from '../sources/okta/page-body.js';

/**
 * One event of a page, ready for the store: everything that does not depend on what is already
 * stored (its query columns, its leaf and the leaf's hash) is computed, so this work can run on
 * another thread while the store writes the previous page. The leaf index is not: it is assigned
 * when the event turns out to be new, inside the store's transaction.
 */
export interface PreparedEvent extends RawEvent {
  readonly columns: OktaColumns;
  /** The leaf envelope bytes (leaf-envelope.ts). */
  readonly leaf: Buffer;
  /** RFC 6962 hash of `leaf`. */
  readonly leafHash: Buffer;
}

/** Splits, checks and prepares one System Log page on this thread. */
export function preparePage(source: string, body: string): PreparedEvent[] {
  const spans = jsonArraySpans(body);
  const events: PreparedEvent[] = [];
  for (let i = 0; i < spans.length; i += 2)
    events.push(prepareEvent(source, body.slice(spans[i], spans[i + 1]), i / 2));
  return events;
}

/** Checks element `index` of a page and computes its columns, leaf and leaf hash. */
function prepareEvent(source: string, raw: string, index: number): PreparedEvent {
  const e = checkEvent(raw, index);
  const leaf = encodeLeafEnvelope(leafEnvelopeFor(source, e.uuid, e.published, e.value, e.raw));
  return { ...e, columns: normalizeOktaEvent(e.value, e.publishedMs), leaf, leafHash: hashLeaf(leaf) };
}

/**
 * A prepared page as it crosses from a worker thread: the events' text stays in the body the
 * receiver already holds (only [start, end) spans travel), and every leaf and hash travels in one
 * transferred buffer. Structured clone copies a Node Buffer's whole 8 KiB pool slab, so per-event
 * Buffers must not be posted.
 */
export interface PreparedPageWire {
  readonly spans: Int32Array;
  readonly columns: OktaColumns[];
  /** Per event: its 32-byte leaf hash, then its leaf bytes. */
  readonly ledger: Uint8Array;
  /** Where each event's slice of `ledger` ends. */
  readonly ledgerEnds: Int32Array;
}

/** The worker side: prepares a page and packs it for posting (transfer `ledger.buffer`). */
export function preparePageWire(source: string, body: string): PreparedPageWire {
  const spans = jsonArraySpans(body);
  const count = spans.length / 2;
  const events: PreparedEvent[] = new Array<PreparedEvent>(count);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const e = prepareEvent(source, body.slice(spans[2 * k], spans[2 * k + 1]), k);
    events[k] = e;
    total += HASH_SIZE + e.leaf.length;
  }
  const ledger = new Uint8Array(total);
  const ledgerEnds = new Int32Array(count);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const { leaf, leafHash } = events[k]!;
    ledger.set(leafHash, at);
    ledger.set(leaf, at + HASH_SIZE);
    at += HASH_SIZE + leaf.length;
    ledgerEnds[k] = at;
  }
  return { spans: Int32Array.from(spans), columns: events.map((e) => e.columns), ledger, ledgerEnds };
}

/**
 * An event unpacked from the wire. Its parsed value is only needed by detection, and then only
 * once: it is parsed on first use rather than cloned across threads for every event.
 */
class WireEvent implements PreparedEvent {
  #value: Record<string, unknown> | undefined;
  constructor(
    readonly raw: string,
    readonly columns: OktaColumns,
    readonly leafHash: Buffer,
    readonly leaf: Buffer,
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
}

/** The receiving side: the page's events, their text sliced from `body` (the body that was sent). */
export function fromPreparedPageWire(body: string, wire: PreparedPageWire): PreparedEvent[] {
  const { spans, columns, ledger, ledgerEnds } = wire;
  const events: PreparedEvent[] = new Array<PreparedEvent>(columns.length);
  const { buffer, byteOffset } = ledger;
  let at = 0;
  for (let k = 0; k < columns.length; k++) {
    const end = ledgerEnds[k]!;
    // Views into the one transferred buffer, not copies.
    events[k] = new WireEvent(
      body.slice(spans[2 * k], spans[2 * k + 1]),
      columns[k]!,
      Buffer.from(buffer, byteOffset + at, HASH_SIZE),
      Buffer.from(buffer, byteOffset + at + HASH_SIZE, end - at - HASH_SIZE),
    );
    at = end;
  }
  return events;
}

/** A VigilError as it crosses a thread boundary (structured clone keeps only an Error's message). */
export interface ErrorWire {
  readonly code: string;
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
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    category: 'internal',
    details: {},
  };
}

export function fromErrorWire(wire: ErrorWire): VigilError {
  return new VigilError(wire.code, wire.message, { category: wire.category, details: wire.details });
}
