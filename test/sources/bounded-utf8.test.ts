import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { DEFAULT_BODY_LIMITS, readBoundedUtf8 } from '../../src/sources/bounded-body.js';

/** A body delivered in exactly these chunks, as a socket would. */
const chunked = (...chunks: Buffer[]) => Readable.from(chunks, { objectMode: false });
const read = (body: Readable, encoding: string | null = null) =>
  readBoundedUtf8(body, encoding, DEFAULT_BODY_LIMITS, new AbortController().signal);

it('decodes text whose characters are split across chunks, byte by byte', async () => {
  const text = '[{"displayName":"Zoë Ångström 山田 🛡️"}]';
  const bytes = Buffer.from(text);
  const oneByteChunks = [...bytes].map((b) => Buffer.from([b]));
  expect(await read(chunked(...oneByteChunks))).toEqual({ text });
  expect(await read(chunked(bytes.subarray(0, 21), bytes.subarray(21)))).toEqual({ text });
  expect(await read(chunked(gzipSync(bytes)), 'gzip')).toEqual({ text });
});

it('reports invalid UTF-8 (never U+FFFD) with the first 2 KiB as Latin-1, wherever the bad byte falls', async () => {
  const good = Buffer.from('x'.repeat(3000));
  const bad = Buffer.from([0xe2, 0x28, 0xa1]); // a three-byte sequence with a bad second byte
  for (const chunks of [
    [Buffer.concat([good, bad])],
    [good, bad.subarray(0, 1), bad.subarray(1)],
    [Buffer.from([0xff]), good],
  ]) {
    const result = await read(chunked(...chunks));
    expect(result).not.toHaveProperty('text');
    const excerpt = (result as { invalid: string }).invalid;
    expect(excerpt).toHaveLength(2048);
    expect(excerpt).toBe(Buffer.concat(chunks).subarray(0, 2048).toString('latin1'));
  }
  // A body cut inside a character is invalid too.
  expect(await read(chunked(Buffer.from('ok'), Buffer.from([0xf0, 0x9f])))).toEqual({
    invalid: 'ok\u00f0\u009f',
  });
});

it('still stops at the limits before decoding further', async () => {
  const limits = { ...DEFAULT_BODY_LIMITS, maxDecodedBytes: 4096 };
  const body = chunked(Buffer.alloc(3000, 0x61), Buffer.alloc(3000, 0x61));
  await expect(readBoundedUtf8(body, null, limits, new AbortController().signal)).rejects.toMatchObject({
    code: 'SOURCE_DECODED_TOO_LARGE',
  });
});
