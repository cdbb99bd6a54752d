import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { DEFAULT_BODY_LIMITS } from '../../src/sources/bounded-body.js';
import { readProviderJson } from '../../src/sources/provider-json.js';

const answer = (bytes: Buffer | string) =>
  readProviderJson(
    Readable.from([Buffer.from(bytes)]),
    null,
    DEFAULT_BODY_LIMITS,
    new AbortController().signal,
  );

it('parses a JSON answer once, as strict UTF-8', async () => {
  expect(await answer('{"status":"ACTIVE","name":"Zoë"}')).toEqual({
    json: { status: 'ACTIVE', name: 'Zoë' },
  });
});

it('refuses invalid UTF-8 and text that is not JSON alike, as not ambiguous', async () => {
  const notJson = { problem: 'the answer is not UTF-8 JSON', ambiguous: false };
  expect(await answer(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toEqual(notJson);
  expect(await answer('{"status":')).toEqual(notJson);
});

it('refuses a duplicate key or a number beyond a double as ambiguous, saying which', async () => {
  expect(await answer('{"status":"ACTIVE","status":"SUSPENDED"}')).toEqual({
    problem: 'a duplicate key in an object',
    ambiguous: true,
  });
  expect(await answer('{"n":1e400}')).toEqual({
    problem: 'a number beyond the range of a double (such as 1e400)',
    ambiguous: true,
  });
});

it('throws when the body crosses a limit, as readBoundedUtf8 does', async () => {
  const limits = { ...DEFAULT_BODY_LIMITS, maxBodyBytes: 1024 };
  await expect(
    readProviderJson(Readable.from([Buffer.alloc(2048, 0x20)]), null, limits, new AbortController().signal),
  ).rejects.toMatchObject({ code: 'SOURCE_BODY_TOO_LARGE' });
});
