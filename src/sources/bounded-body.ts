import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { VigilError } from '../core/vigil-error.js';
import type { SourceErrorCode } from './errors.js';

/** How much of a provider's body Vigil will read (vigil.yaml `collect`). */
export interface BodyLimits {
  /** Bytes on the wire. */
  readonly maxBodyBytes: number;
  /** Bytes after decompression. */
  readonly maxDecodedBytes: number;
  /** Decoded bytes per wire byte, checked once a body has inflated past RATIO_FLOOR_BYTES. */
  readonly maxCompressionRatio: number;
}

/** Below this a high ratio cannot hurt (and small JSON bodies compress well). */
const RATIO_FLOOR_BYTES = 64 * 1024;

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

const over = (code: SourceErrorCode, message: string, details: Record<string, unknown>) =>
  new VigilError<SourceErrorCode>(code, message, { category: 'external', details });

/**
 * Reads a body as a stream, decompressing it here (never inside the HTTP client, where it could not
 * be counted), and stops at the first limit it crosses: an endless chunked body or a compression
 * bomb costs at most the limits, never the process (issue 19: 3 GB and 2.5 GB bodies killed it).
 * Returns the decoded bytes; throws SOURCE_BODY_TOO_LARGE, SOURCE_DECODED_TOO_LARGE,
 * SOURCE_COMPRESSION_RATIO, or SOURCE_BAD_PAGE for an unknown or corrupt encoding.
 */
export async function readBoundedBody(
  body: Readable,
  contentEncoding: string | null,
  limits: BodyLimits,
  signal: AbortSignal,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const decoded = await readBounded(body, contentEncoding, limits, signal, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks, decoded);
}

/** Bytes of an invalid body kept for its quarantine record, as readBoundedUtf8 reports them. */
const EXCERPT_BYTES = 2048;

/**
 * readBoundedBody's body as UTF-8 text, decoded chunk by chunk as it arrives, so no chunk outlives
 * the moment it came in (issue 20: a page's chunks, then their concatenation, waited in memory for
 * a full collection). Invalid UTF-8 is reported, never replaced by U+FFFD: `invalid` holds the
 * body's first 2 KiB as Latin-1 (every byte one character) for the quarantine record.
 */
export async function readBoundedUtf8(
  body: Readable,
  contentEncoding: string | null,
  limits: BodyLimits,
  signal: AbortSignal,
): Promise<{ text: string } | { invalid: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  let head = '';
  let valid = true;
  await readBounded(body, contentEncoding, limits, signal, (chunk) => {
    if (head.length < EXCERPT_BYTES)
      head += chunk.subarray(0, EXCERPT_BYTES - head.length).toString('latin1');
    if (!valid) return;
    try {
      parts.push(decoder.decode(chunk, { stream: true }));
    } catch {
      valid = false;
      parts.length = 0;
    }
  });
  if (valid)
    try {
      parts.push(decoder.decode());
    } catch {
      valid = false;
    }
  return valid ? { text: parts.join('') } : { invalid: head };
}

/** The stream read under the limits; each decoded chunk goes to `take`; returns the decoded length. */
async function readBounded(
  body: Readable,
  contentEncoding: string | null,
  limits: BodyLimits,
  signal: AbortSignal,
  take: (chunk: Buffer) => void,
): Promise<number> {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  const decoders: Transform[] = [];
  // Content codings apply in the order listed, so they are undone in reverse (RFC 9110 §8.4).
  for (const encoding of encodings.reverse()) {
    const make = DECODERS[encoding];
    if (!make) {
      body.destroy();
      throw over('SOURCE_BAD_PAGE', `unsupported content-encoding '${encoding.slice(0, 40)}'`, {});
    }
    decoders.push(make());
  }
  let corrupt: Error | undefined;
  for (const d of decoders) d.once('error', (error) => (corrupt ??= error));
  let wire = 0;
  let decoded = 0;
  try {
    // The stage list is built at run time, which pipeline's overloads cannot type.
    await (pipeline as (...stages: unknown[]) => Promise<void>)(
      body,
      async function* countWire(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          wire += chunk.length;
          if (wire > limits.maxBodyBytes)
            throw over(
              'SOURCE_BODY_TOO_LARGE',
              `body over the ${limits.maxBodyBytes}-byte limit (collect.maxBodyBytes)`,
              {
                limit: limits.maxBodyBytes,
              },
            );
          yield chunk;
        }
      },
      ...decoders,
      async function countDecoded(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          decoded += chunk.length;
          if (decoded > limits.maxDecodedBytes)
            throw over(
              'SOURCE_DECODED_TOO_LARGE',
              `body inflates past the ${limits.maxDecodedBytes}-byte limit (collect.maxDecodedBytes)`,
              { limit: limits.maxDecodedBytes },
            );
          if (decoded > RATIO_FLOOR_BYTES && decoded > wire * limits.maxCompressionRatio)
            throw over(
              'SOURCE_COMPRESSION_RATIO',
              `body inflates more than ${limits.maxCompressionRatio} times (${wire} bytes to over ${decoded}; collect.maxCompressionRatio)`,
              { limit: limits.maxCompressionRatio },
            );
          take(chunk);
        }
      },
      { signal },
    );
  } catch (error) {
    if (error instanceof VigilError || signal.aborted || corrupt === undefined) throw error;
    throw over('SOURCE_BAD_PAGE', `body cannot be decoded (${contentEncoding}): ${corrupt.message}`, {});
  }
  return decoded;
}

/** What `vigil.yaml` `collect` defaults to: a page of 1,000 events is a few MiB. */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxDecodedBytes: 64 * 1024 * 1024,
  maxCompressionRatio: 100,
};
