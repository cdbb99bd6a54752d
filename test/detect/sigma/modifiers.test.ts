import { describe, expect, it } from 'vitest';
import { matcher } from './rule-fixture.js';

const m = (field: string, value: string): ((event: unknown) => boolean) =>
  matcher(`sel:\n  ${field}: ${value}\ncondition: sel`);

describe('plain values and wildcards', () => {
  it('matches whole strings case-insensitively by default', () => {
    const t = m('eventType', 'user.session.start');
    expect(t({ eventType: 'USER.Session.Start' })).toBe(true);
    expect(t({ eventType: 'user.session.started' })).toBe(false);
  });
  it('supports * and ? and their escapes', () => {
    expect(m('f', "'a*c'")({ f: 'abbbc' })).toBe(true);
    expect(m('f', "'a?c'")({ f: 'abc' })).toBe(true);
    expect(m('f', "'a?c'")({ f: 'abbc' })).toBe(false);
    expect(m('f', "'a\\*c'")({ f: 'a*c' })).toBe(true);
    expect(m('f', "'a\\*c'")({ f: 'abc' })).toBe(false);
    expect(m('f', "'a\\?'")({ f: 'ab' })).toBe(false);
    // `\W` stays a literal backslash; `\*` is an escaped (literal) star.
    expect(m('f', "'C:\\Windows\\*'")({ f: 'c:\\windows*' })).toBe(true);
    expect(m('f', "'C:\\Windows\\*'")({ f: 'c:\\windows\\x' })).toBe(false);
    expect(m('f', "'x\\\\*'")({ f: 'x\\abc' })).toBe(true);
  });
  it('matches numbers, JSON booleans as strings, null and empty values', () => {
    expect(m('n', '42')({ n: 42 })).toBe(true);
    expect(m('n', '42')({ n: '42' })).toBe(true);
    expect(m('b', "'true'")({ b: true })).toBe(true);
    expect(m('b', 'true')({ b: 'TRUE' })).toBe(true);
    expect(m('b', "'true'")({ b: false })).toBe(false);
    expect(m('x', 'null')({})).toBe(true);
    expect(m('x', 'null')({ x: null })).toBe(true);
    expect(m('x', 'null')({ x: 'v' })).toBe(false);
    expect(m('x', "''")({ x: '' })).toBe(true);
    expect(m('x', "''")({ x: 'v' })).toBe(false);
  });
  it('reads Okta field names case-insensitively, through nested objects and any array element', () => {
    const t = m('target.displayName', "'Okta Admin Console'");
    expect(t({ TARGET: [{ displayname: 'x' }, { displayName: 'okta admin console' }] })).toBe(true);
    expect(t({ target: [{ displayName: 'x' }] })).toBe(false);
    expect(m('a.b', 'v')({ 'a.b': 'v' })).toBe(true);
  });
});

describe('string modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(m('f|contains', 'mid')({ f: 'aMIDb' })).toBe(true);
    expect(m('f|startswith', 'ab')({ f: 'ABc' })).toBe(true);
    expect(m('f|startswith', 'ab')({ f: 'cab' })).toBe(false);
    expect(m('f|endswith', 'ab')({ f: 'cab' })).toBe(true);
    expect(m('f|endswith', 'ab')({ f: 'abc' })).toBe(false);
  });
  it('lists are OR; |all makes them AND', () => {
    expect(m('f|contains', '[x, y]')({ f: 'y' })).toBe(true);
    expect(m('eventType', '[a.b, c.d]')({ eventType: 'C.D' })).toBe(true);
    expect(m('eventType', '[a.b, c.d]')({ eventType: 'c.e' })).toBe(false);
    expect(m('n', '[1, 2]')({ n: 2 })).toBe(true);
    expect(m('f|contains|all', '[x, y]')({ f: 'y' })).toBe(false);
    expect(m('f|contains|all', '[x, y]')({ f: 'yx' })).toBe(true);
  });
  it('cased makes matching case-sensitive', () => {
    expect(m('f|cased', 'Abc')({ f: 'abc' })).toBe(false);
    expect(m('f|cased', 'Abc')({ f: 'Abc' })).toBe(true);
    expect(m('f|contains|cased', 'B')({ f: 'abc' })).toBe(false);
  });
  it('windash tries every dash variant at word starts', () => {
    const t = m('cmd|windash|contains', "' -exec '");
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(t({ cmd: `x ${d}exec y` })).toBe(true);
    expect(t({ cmd: 'x +exec y' })).toBe(false);
  });
  it('neq negates', () => {
    expect(m('f|neq', 'a')({ f: 'b' })).toBe(true);
    expect(m('f|neq', 'a')({ f: 'A' })).toBe(false);
  });
});

describe('encoding modifiers', () => {
  it('base64 and base64offset', () => {
    expect(m('f|base64', 'abc')({ f: 'YWJj' })).toBe(true);
    const t = m('f|base64offset|contains', 'http://');
    for (const prefix of ['', 'x', 'xy'])
      expect(t({ f: Buffer.from(`${prefix}http://evil`).toString('base64') })).toBe(true);
    expect(t({ f: Buffer.from('ftp://evil').toString('base64') })).toBe(false);
  });
  it('utf16le / wide / utf16be / utf16 then base64', () => {
    const le = Buffer.from('cmd', 'utf16le').toString('base64');
    expect(m('f|utf16le|base64', 'cmd')({ f: le })).toBe(true);
    expect(m('f|wide|base64', 'cmd')({ f: le })).toBe(true);
    expect(m('f|utf16be|base64', 'cmd')({ f: Buffer.from([0, 99, 0, 109, 0, 100]).toString('base64') })).toBe(
      true,
    );
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString('base64');
    expect(m('f|utf16|base64', 'cmd')({ f: bom })).toBe(true);
    expect(m('f|wide|base64offset|contains', 'cmd')({ f: `AA${le}` })).toBe(true);
  });
});

describe('regex, cidr, numbers, exists, fieldref', () => {
  it('re is case-sensitive and unanchored; i, m, s flags', () => {
    expect(m('f|re', "'^ab+c'")({ f: 'abbbcx' })).toBe(true);
    expect(m('f|re', "'^ab+c'")({ f: 'ABC' })).toBe(false);
    expect(m('f|re|i', "'^ab+c'")({ f: 'ABC' })).toBe(true);
    expect(m('f|re|m', "'^b$'")({ f: 'a\nb' })).toBe(true);
    expect(m('f|re', "'^b$'")({ f: 'a\nb' })).toBe(false);
    expect(m('f|re|s', "'a.b'")({ f: 'a\nb' })).toBe(true);
    expect(m('f|re', "'a.b'")({ f: 'a\nb' })).toBe(false);
    expect(m('f|re', "'(?i)abc'")({ f: 'ABC' })).toBe(true);
  });
  it('cidr for IPv4 and IPv6', () => {
    const t = m('client.ipAddress|cidr', "['10.0.0.0/8', '2001:db8::/32']");
    expect(t({ client: { ipAddress: '10.2.3.4' } })).toBe(true);
    expect(t({ client: { ipAddress: '11.2.3.4' } })).toBe(false);
    expect(t({ client: { ipAddress: '2001:db8:1::5' } })).toBe(true);
    expect(t({ client: { ipAddress: '2001:db9::5' } })).toBe(false);
  });
  it('lt, lte, gt, gte compare numbers and numeric strings', () => {
    expect(m('n|lt', '5')({ n: 4 })).toBe(true);
    expect(m('n|lt', '5')({ n: 5 })).toBe(false);
    expect(m('n|lte', '5')({ n: '5' })).toBe(true);
    expect(m('n|gt', '5')({ n: 6 })).toBe(true);
    expect(m('n|gte', '5')({ n: 4 })).toBe(false);
    expect(m('n|gt', '5')({ n: 'abc' })).toBe(false);
  });
  it('exists', () => {
    expect(m('a.b|exists', 'true')({ a: { b: 0 } })).toBe(true);
    expect(m('a.b|exists', 'true')({ a: {} })).toBe(false);
    expect(m('a.b|exists', 'false')({ a: {} })).toBe(true);
  });
  it('fieldref compares two fields', () => {
    const t = m('actor.alternateId|fieldref', 'target.alternateId');
    expect(t({ actor: { alternateId: 'A@x' }, target: [{ alternateId: 'b' }, { alternateId: 'a@X' }] })).toBe(
      true,
    );
    expect(t({ actor: { alternateId: 'a' }, target: [{ alternateId: 'b' }] })).toBe(false);
    expect(m('a|fieldref|startswith', 'b')({ a: 'abc', b: 'ab' })).toBe(true);
  });
});

describe('time modifiers and regex flag aliases', () => {
  it('minute, hour, day, week, month, year read UTC parts of a timestamp', () => {
    const ev = { published: '2026-01-05T23:07:00.000Z' }; // a Monday in ISO week 2
    expect(m('published|minute', '7')(ev)).toBe(true);
    expect(m('published|hour', '23')(ev)).toBe(true);
    expect(m('published|hour', '22')(ev)).toBe(false);
    expect(m('published|day', '5')(ev)).toBe(true);
    expect(m('published|week', '2')(ev)).toBe(true);
    expect(m('published|month', '1')(ev)).toBe(true);
    expect(m('published|year', '2026')(ev)).toBe(true);
    expect(m('published|hour|gte', '22')(ev)).toBe(true);
    expect(m('published|hour', '1')({ published: 'not a date' })).toBe(false);
  });
  it('ignorecase, multiline, dotall are i, m, s', () => {
    expect(m('f|re|ignorecase', "'abc'")({ f: 'ABC' })).toBe(true);
    expect(m('f|re|multiline', "'^b'")({ f: 'a\nb' })).toBe(true);
    expect(m('f|re|dotall', "'a.b'")({ f: 'a\nb' })).toBe(true);
  });
});

describe('keyword search', () => {
  it('searches every value of the event; |all ANDs keywords', () => {
    const t = matcher(`keywords:\n  - evil\n  - bad\ncondition: keywords`);
    expect(t({ a: { b: ['x', 'very EVIL thing'] } })).toBe(true);
    expect(t({ a: 'fine' })).toBe(false);
    const all = matcher(`keywords:\n  '|all':\n    - evil\n    - bad\ncondition: keywords`);
    expect(all({ a: 'evil', b: 'bad' })).toBe(true);
    expect(all({ a: 'evil' })).toBe(false);
  });
});
