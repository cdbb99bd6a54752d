import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../../src/core/vigil-error.js';
import { parseTicketExport } from '../../../src/response/support/ticket-import.js';

const base = { source: 'okta', recordedAt: '2026-03-10T12:00:00.000Z' };

const refusal = (text: string, file: string) => {
  try {
    parseTicketExport(text, file, base);
  } catch (error) {
    if (isVigilError(error)) return { code: error.code, message: error.message, category: error.category };
    throw error;
  }
  throw new Error('the export was accepted');
};

describe("a ticket system's export", () => {
  it('reads JSON tickets: numeric case numbers, scope lists, times with offsets and dates, as UTC', () => {
    const [ticket, ...rest] = parseTicketExport(
      JSON.stringify({
        tickets: [
          {
            ticket: 40001234,
            start: '2026-03-10T14:00:00+02:00',
            end: '2026-03-11',
            scope: ['view'],
            approver: 'Dana',
          },
        ],
      }),
      'export.json',
      base,
    );
    expect(rest).toEqual([]);
    expect(ticket).toEqual({
      v: 1,
      source: 'okta',
      caseNumber: '40001234',
      from: '2026-03-10T12:00:00.000Z',
      to: '2026-03-11T00:00:00.000Z',
      scope: ['view'],
      approvedBy: 'Dana',
      origin: 'customer',
      recordedFrom: 'export.json: ticket 1',
      recordedAt: base.recordedAt,
    });
  });

  it('names the file and the line or item of every row that is no ticket, as bad input', () => {
    const cases: [string, string, string][] = [
      ['t.csv', 'case,from,approved_by\n1,2026-03-10,Dana\n', 't.csv:1: the header names no to column'],
      [
        't.csv',
        'case,from,to\n1,2026-03-10,2026-03-11\n2,2026-03-12,2026-03-11\n',
        't.csv:3: to: from must be before to',
      ],
      [
        't.csv',
        'case,from,to,scope\n1,2026-03-10,2026-03-11,everything\n',
        "t.csv:2: scope 'everything' is not one of",
      ],
      ['t.csv', 'case,from,to\n1,"2026-03-10,2026-03-11\n', 't.csv:2: a quoted field is not closed'],
      [
        't.json',
        '[{"case":"1","from":"2026-03-10","to":"soon"}]',
        "t.json: ticket 1: to: 'soon' is not an RFC 3339 time",
      ],
      [
        't.json',
        '[{"case":"1","from":"2026-03-10","to":"2026-03-11"}, 7]',
        't.json: ticket 2: not an object',
      ],
      ['t.json', '{"tickets": 3}', 't.json: expected an array of tickets'],
    ];
    for (const [file, text, message] of cases) {
      const r = refusal(text, file);
      expect(r.code, message).toBe('SUPPORT_IMPORT_INVALID');
      expect(r.category).toBe('input');
      expect(r.message).toContain(message);
    }
  });
});
