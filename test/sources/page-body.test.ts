import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/core/vigil-error.js';
import { MAX_EVENT_BYTES, splitJsonArray, splitPage } from '../../src/sources/okta/page-body.js';

const event = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    uuid: 'u-1',
    published: '2026-03-10T12:00:00.000Z',
    eventType: 'user.session.start',
    ...extra,
  });

const codeOf = (body: string) => {
  try {
    splitPage(body);
    return 'accepted';
  } catch (error) {
    return isVigilError(error) ? error.code : 'unexpected';
  }
};

describe('System Log page bodies', () => {
  it('keeps each event’s exact bytes, whitespace and key order included', () => {
    const raw = '{ "uuid":"a", "published":"2026-03-10T12:00:00Z","eventType":"x","s":"a,]}\\"" }';
    expect(
      splitJsonArray(`[ ${raw} ,{"uuid":"b","published":"2026-03-10T12:00:00Z","eventType":"y"}]`)[0],
    ).toBe(raw);
    expect(splitPage(`[${raw}]`)[0]!.raw).toBe(raw);
  });

  it('tells escaped quotes from closing ones however many backslashes precede them', () => {
    const values = ['a\\', 'a\\"b', '\\\\', '"', '{[,]}', 'end\\\\"', ''];
    const raws = values.map((s, i) => event({ uuid: `u-${i}`, s }));
    expect(splitJsonArray(`[${raws.join(',')}]`)).toEqual(raws);
    expect(splitPage(`[${raws.join(',')}]`).map((e) => (e.value as { s: string }).s)).toEqual(values);
    // An unterminated string (its last quote escaped) is a truncated page, not a scan past the end.
    expect(codeOf('[{"uuid":"a\\"}]')).toBe('CUSTODY_BAD_PAGE');
  });

  it('refuses malformed, truncated, wrongly typed, id-less and oversized input with CUSTODY_BAD_PAGE', () => {
    expect(codeOf('{"not":"an array"}')).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event()}`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event()},{,}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event({ uuid: 42 })}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event({ uuid: undefined })}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event({ published: 'yesterday' })}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event({ eventType: null })}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event({ blob: 'x'.repeat(MAX_EVENT_BYTES) })}]`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf(`[${event()}] trailing`)).toBe('CUSTODY_BAD_PAGE');
    expect(codeOf('[]')).toBe('accepted');
  });
});
