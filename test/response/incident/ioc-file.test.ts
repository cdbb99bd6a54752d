import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../../src/core/vigil-error.js';
import { parseIocFile } from '../../../src/response/incident/ioc-file.js';
import { IocMatcher } from '../../../src/response/incident/ioc-matcher.js';

// The two user agents Okta published for the October 2023 HAR-file incident (okta-api.md §4.4).
const UA_1 =
  'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.7113.93 Safari/537.36';

function refusal(text: string): { code: string; message: string; details: unknown } {
  try {
    parseIocFile(text, '/cases/okta.iocs');
  } catch (error) {
    if (isVigilError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('parsed');
}

describe('indicator files', () => {
  it('plain lines: IPs, CIDRs, ASNs and user agents told apart by form; comments, blanks and duplicates skipped', () => {
    const iocs = parseIocFile(
      `# HAR-file indicators\n23.105.182.19\n\n2001:DB8::1\n198.16.66.0/24\nAS 20473\nasn9009\n${UA_1}\n23.105.182.19\n`,
      'x',
    );
    expect(iocs).toEqual([
      { kind: 'ip', value: '23.105.182.19' },
      { kind: 'ip', value: '2001:db8::1' },
      { kind: 'cidr', value: '198.16.66.0/24' },
      { kind: 'asn', value: '20473' },
      { kind: 'asn', value: '9009' },
      { kind: 'user-agent', value: UA_1 },
    ]);
  });

  it('CSV with a header, either column order, quoted user agents holding commas', () => {
    const iocs = parseIocFile(
      `value,type,comment\n23.106.56.11,ipv4,proxy\n"${UA_1}",user-agent,"seen, twice"\n10.0.0.0/8,cidr,\nAS1,asn,x\n`,
      'x',
    );
    expect(iocs).toEqual([
      { kind: 'ip', value: '23.106.56.11' },
      { kind: 'user-agent', value: UA_1 },
      { kind: 'cidr', value: '10.0.0.0/8' },
      { kind: 'asn', value: '1' },
    ]);
  });

  it.each([
    ['a typo in an address', '23.105.182.19\n23.105.182.999\n', 2, 'is not an IP, CIDR, ASN or user agent'],
    ['a CIDR past 32 bits', '198.16.66.0/33\n', 1, 'is not a valid CIDR'],
    ['an unknown CSV type', 'type,value\nhash,abc\n', 2, 'unknown indicator type "hash"'],
    ['a CSV value of the wrong type', 'type,value\nip,example.com\n', 2, 'is not a valid ip'],
    ['an empty CSV value', 'type,value\nip,\n', 2, 'no value'],
    ['an unterminated quote', 'type,value\nua,"Mozilla\n', 2, 'unterminated'],
    ['a control character', '1.2.3.4\nMozilla\u0007/5.0 (X11)\n', 2, 'control character'],
  ])('%s is INCIDENT_IOC_INVALID naming file:line', (_what, text, line, message) => {
    const error = refusal(text);
    expect(error.code).toBe('INCIDENT_IOC_INVALID');
    expect(error.message).toContain(`/cases/okta.iocs:${line}: `);
    expect(error.message).toContain(message);
    expect(error.details).toEqual({ file: '/cases/okta.iocs', line });
  });

  it('matching: client IP and IP chain, CIDR ranges of both families, user agent case-insensitively, ASN', () => {
    const matcher = new IocMatcher(
      parseIocFile(`203.0.113.7\n198.51.100.0/24\n2001:db8::/32\n${UA_1.toLowerCase()}\nAS64500\n`, 'x'),
    );
    expect(matcher.hits({ ips: ['10.0.0.1', '203.0.113.7'], userAgent: null, asn: null })).toEqual([
      'ioc:ip:203.0.113.7',
    ]);
    expect(matcher.hits({ ips: ['::ffff:198.51.100.9'], userAgent: UA_1, asn: 64500 })).toEqual([
      'ioc:cidr:198.51.100.0/24',
      `ioc:user-agent:${UA_1.toLowerCase()}`,
      'ioc:asn:64500',
    ]);
    expect(matcher.hits({ ips: ['2001:DB8:0:1::5'], userAgent: 'curl/8', asn: 1 })).toEqual([
      'ioc:cidr:2001:db8::/32',
    ]);
    expect(matcher.hits({ ips: ['198.51.101.1', 'not-an-ip'], userAgent: null, asn: null })).toEqual([]);
  });
});
