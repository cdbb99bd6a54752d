import { VigilError } from '../../core/vigil-error.js';
import { rfc3339Ms } from '../../sources/rfc3339.js';
import type { SupportErrorCode } from './errors.js';
import { checkedTicket, parseScope, type SupportTicket } from './support-ticket.js';

/** At most this many tickets in one export. */
export const MAX_IMPORTED_TICKETS = 100_000;

/** Column names a ticket system's export may use, by the field they fill. */
const COLUMNS: Record<string, 'caseNumber' | 'from' | 'to' | 'scope' | 'approvedBy' | 'subject'> = {
  case: 'caseNumber',
  casenumber: 'caseNumber',
  case_number: 'caseNumber',
  ticket: 'caseNumber',
  from: 'from',
  start: 'from',
  approved_from: 'from',
  to: 'to',
  end: 'to',
  until: 'to',
  approved_to: 'to',
  scope: 'scope',
  approvedby: 'approvedBy',
  approved_by: 'approvedBy',
  approver: 'approvedBy',
  by: 'approvedBy',
  subject: 'subject',
  summary: 'subject',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Tickets from a ticket system's export (`vigil support import FILE`): CSV with a header row naming
 * at least the case, the window and the approver (`case,from,to,scope,approved_by[,subject]`, RFC 4180
 * quoting), or JSON (an array of such objects, or `{"tickets": [...]}`). Times are RFC 3339 with an
 * offset or a full date (UTC). Any row that is not a ticket is an error naming the file and line (CSV)
 * or item (JSON): a ticket dropped silently would turn approved work into findings, or the reverse.
 */
export function parseTicketExport(
  text: string,
  file: string,
  base: { source: string; recordedAt: string },
): SupportTicket[] {
  const body = text.replace(/^\uFEFF/, '');
  const rows =
    body.trimStart().startsWith('[') || body.trimStart().startsWith('{')
      ? jsonRows(body, file)
      : csvRows(body, file);
  if (rows.length > MAX_IMPORTED_TICKETS) throw invalid(file, `more than ${MAX_IMPORTED_TICKETS} tickets`);
  return rows.map(({ where, fields }) => {
    const time = (name: 'from' | 'to') => {
      const value = fields[name];
      if (value === undefined || value === '') throw invalid(where, `${name}: missing`);
      const ms = rfc3339Ms(DATE.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(ms)) throw invalid(where, `${name}: '${value.slice(0, 40)}' is not an RFC 3339 time`);
      return new Date(ms).toISOString();
    };
    let scope;
    try {
      scope = parseScope(fields.scope, where);
    } catch (error) {
      if (error instanceof VigilError) throw invalid(where, error.message.slice(where.length + 2));
      throw error;
    }
    return checkedTicket(
      {
        v: 1,
        source: base.source,
        caseNumber: (fields.caseNumber ?? '').replace(/^#/, ''),
        from: time('from'),
        to: time('to'),
        scope,
        approvedBy: fields.approvedBy === undefined || fields.approvedBy === '' ? null : fields.approvedBy,
        origin: 'customer',
        ...(fields.subject ? { subject: fields.subject.slice(0, 500) } : {}),
        recordedFrom: where,
        recordedAt: base.recordedAt,
      },
      where,
      'SUPPORT_IMPORT_INVALID',
    );
  });
}

type Fields = Partial<Record<(typeof COLUMNS)[string], string>>;

function csvRows(text: string, file: string): { where: string; fields: Fields }[] {
  const lines = text.split(/\r?\n/);
  let header: ((typeof COLUMNS)[string] | undefined)[] | undefined;
  const out: { where: string; fields: Fields }[] = [];
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const cells = splitCsvLine(line, where);
    if (!header) {
      header = cells.map(
        (c) =>
          COLUMNS[
            c
              .trim()
              .toLowerCase()
              .replace(/[\s-]+/g, '_')
          ],
      );
      for (const need of ['caseNumber', 'from', 'to'] as const)
        if (!header.includes(need))
          throw invalid(where, `the header names no ${need === 'caseNumber' ? 'case' : need} column`);
      return;
    }
    const fields: Fields = {};
    cells.forEach((cell, k) => {
      const name = header![k];
      if (name) fields[name] = cell.trim();
    });
    out.push({ where, fields });
  });
  if (!header) throw invalid(file, 'no header line (case,from,to,scope,approved_by)');
  return out;
}

function jsonRows(text: string, file: string): { where: string; fields: Fields }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not JSON (${error instanceof Error ? error.message.slice(0, 80) : 'parse error'})`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { tickets?: unknown } | null)?.tickets;
  if (!Array.isArray(list)) throw invalid(file, 'expected an array of tickets or {"tickets": [...]}');
  return list.map((item: unknown, i) => {
    const where = `${file}: ticket ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(where, 'not an object');
    const fields: Fields = {};
    for (const [key, value] of Object.entries(item)) {
      const name = COLUMNS[key.toLowerCase().replace(/[\s-]+/g, '_')];
      if (!name) continue;
      if (typeof value === 'number' && name === 'caseNumber') fields[name] = String(value);
      else if (Array.isArray(value) && name === 'scope') fields[name] = value.map(String).join(',');
      else if (typeof value === 'string') fields[name] = value;
      else if (value !== null) throw invalid(where, `${key}: not a string`);
    }
    return { where, fields };
  });
}

/** One CSV line, RFC 4180 quoting (no field spans lines). */
function splitCsvLine(line: string, where: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw invalid(where, 'a quoted field is not closed');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') throw invalid(where, 'text after a closing quote');
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function invalid(where: string, message: string): VigilError<SupportErrorCode> {
  return new VigilError('SUPPORT_IMPORT_INVALID', `${where}: ${message}`, {
    category: 'input',
    details: { where },
  });
}
