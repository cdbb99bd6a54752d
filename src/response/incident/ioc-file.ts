import { isIP } from 'node:net';
import { VigilError } from '../../core/vigil-error.js';
import type { IncidentErrorCode } from './errors.js';
import type { Ioc, IocKind } from './incident.js';

/** At most this many indicators in one file (Okta's HAR-file list had 23 IPs and 2 user agents). */
export const MAX_IOCS = 100_000;
const MAX_VALUE = 1_000;

/**
 * Parses an indicator file as a provider publishes one (okta-api.md §4.4). Two forms:
 *
 * - plain: one indicator a line, its kind told by its form: an IP, a CIDR, `AS<number>` (or `ASN <n>`),
 *   and anything else with a letter in it a user agent (user agents hold commas, so a plain file is
 *   never split on them);
 * - CSV: a header line naming a `type` (or `kind`) column and a `value` (or `indicator`) column, in
 *   either order, fields quoted as RFC 4180; types `ip`, `ipv4`, `ipv6`, `cidr`, `user-agent`
 *   (`useragent`, `ua`), `asn`.
 *
 * Blank lines and lines starting with `#` are skipped. A line that is no indicator is an error naming
 * the file and the line: an indicator dropped silently would be a hole in the report.
 */
export function parseIocFile(text: string, file: string): Ioc[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (line: number, message: string): never => {
    throw new VigilError<IncidentErrorCode>('INCIDENT_IOC_INVALID', `${file}:${line}: ${message}`, {
      category: 'input',
      details: { file, line },
    });
  };
  const iocs: Ioc[] = [];
  const seen = new Set<string>();
  const add = (ioc: Ioc, line: number) => {
    if (ioc.value.length > MAX_VALUE) fail(line, `an indicator longer than ${MAX_VALUE} characters`);
    const key = `${ioc.kind}\u0000${ioc.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    iocs.push(ioc);
    if (iocs.length > MAX_IOCS) fail(line, `more than ${MAX_IOCS} indicators`);
  };
  let columns: { kind: number; value: number } | undefined;
  let first = true;
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('#')) return;
    // eslint-disable-next-line no-control-regex -- controls are what an indicator must not hold
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(line)) fail(n, 'a control character');
    if (first) {
      first = false;
      const header = splitCsv(line, n, fail).map((h) => h.trim().toLowerCase());
      const kind = header.findIndex((h) => h === 'type' || h === 'kind');
      const value = header.findIndex((h) => h === 'value' || h === 'indicator');
      if (kind !== -1 && value !== -1) {
        columns = { kind, value };
        return;
      }
    }
    if (columns) {
      const fields = splitCsv(line, n, fail);
      const kind = fields[columns.kind]?.trim() ?? '';
      const value = fields[columns.value]?.trim() ?? '';
      if (value === '') fail(n, 'no value in the value column');
      add(typed(kind.toLowerCase(), value, n, fail), n);
    } else add(inferred(line, n, fail), n);
  });
  return iocs;
}

type Fail = (line: number, message: string) => never;

const KIND_NAMES: Readonly<Record<string, IocKind>> = {
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  cidr: 'cidr',
  'user-agent': 'user-agent',
  useragent: 'user-agent',
  user_agent: 'user-agent',
  ua: 'user-agent',
  asn: 'asn',
};

function typed(kindName: string, value: string, line: number, fail: Fail): Ioc {
  const kind = KIND_NAMES[kindName];
  if (kind === undefined)
    return fail(line, `unknown indicator type ${JSON.stringify(kindName)} (ip, cidr, user-agent, asn)`);
  if (kind === 'user-agent') return { kind, value };
  const ioc = inferred(value, line, fail);
  if (ioc.kind !== kind) fail(line, `${JSON.stringify(value)} is not a valid ${kind}`);
  return ioc;
}

function inferred(value: string, line: number, fail: Fail): Ioc {
  if (isIP(value) !== 0) return { kind: 'ip', value: value.toLowerCase() };
  const slash = value.indexOf('/');
  if (slash !== -1 && /^[0-9a-fA-F.:]+\/\d+$/.test(value)) {
    const address = value.slice(0, slash);
    const bits = Number(value.slice(slash + 1));
    const family = isIP(address);
    if (family === 0 || bits > (family === 4 ? 32 : 128))
      fail(line, `${JSON.stringify(value)} is not a valid CIDR`);
    return { kind: 'cidr', value: `${address.toLowerCase()}/${bits}` };
  }
  const asn = /^AS(?:N)?\s*(\d{1,10})$/i.exec(value);
  if (asn) {
    const number = Number(asn[1]);
    if (number > 4_294_967_295) fail(line, `${JSON.stringify(value)} is not a valid ASN`);
    return { kind: 'asn', value: String(number) };
  }
  // Something shaped like an address that is not one is a typo, not a user agent.
  if (/^[0-9a-fA-F.:/]+$/.test(value) || !/[a-zA-Z]/.test(value) || value.length < 8)
    fail(line, `${JSON.stringify(value.slice(0, 80))} is not an IP, CIDR, ASN or user agent`);
  return { kind: 'user-agent', value };
}

/** One CSV line (RFC 4180 quoting; no field spans lines). */
function splitCsv(line: string, n: number, fail: Fail): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) fail(n, 'an unterminated quoted field');
  fields.push(field);
  return fields;
}
