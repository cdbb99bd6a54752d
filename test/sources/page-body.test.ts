import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, splitJsonArray, splitPage } from '../../src/sources/okta/page-body.js';
import { expectCode } from '../support/expect-code.js';

const event = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    uuid: 'u-1',
    published: '2026-03-10T12:00:00.000Z',
    eventType: 'user.session.start',
    ...extra,
  });

/** splitPage refuses `body` as a bad page. */
const refused = (body: string) => expectCode(() => splitPage(body), 'SOURCE_BAD_PAGE', body.slice(0, 60));

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
    refused('[{"uuid":"a\\"}]');
  });

  it('refuses malformed, truncated, wrongly typed, id-less and oversized input with SOURCE_BAD_PAGE', () => {
    refused('{"not":"an array"}');
    refused(`[${event()}`);
    refused(`[${event()},{,}]`);
    refused(`[${event({ uuid: 42 })}]`);
    refused(`[${event({ uuid: undefined })}]`);
    refused(`[${event({ published: 'yesterday' })}]`);
    refused(`[${event({ eventType: null })}]`);
    refused(`[${event({ blob: 'x'.repeat(MAX_EVENT_BYTES) })}]`);
    refused(`[${event()}] trailing`);
    expect(splitPage('[]')).toEqual([]);
  });
});
