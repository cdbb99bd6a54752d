import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/ledger/jcs.js';
import {
  decodeLeafEnvelope,
  encodeLeafEnvelope,
  eventDigest,
  leafEnvelopeFor,
} from '../../src/ledger/leaf-envelope.js';
import { expectCode } from '../support/expect-code.js';

const event = {
  uuid: 'e-1',
  published: '2024-01-02T03:04:05.678Z',
  actor: { id: 'u1', displayName: 'Ann' },
  n: 1.5,
};

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units, drops undefined members, keeps array order', () => {
    expect(
      canonicalize({
        b: 1,
        a: [3, { d: null, c: true }],
        u: undefined,
        '\u20ac': 0,
        '\ud83d\ude00': 0,
        '\ufb33': 0,
      }),
    ).toBe('{"a":[3,{"c":true,"d":null}],"b":1,"\u20ac":0,"\ud83d\ude00":0,"\ufb33":0}');
    expect(canonicalize(-0)).toBe('0');
    expect(canonicalize(1e21)).toBe('1e+21');
    expect(canonicalize('\u000f\n"')).toBe('"\\u000f\\n\\""');
  });

  it('refuses values JSON cannot carry', () => {
    for (const bad of [Number.NaN, Infinity, 1n, '\ud800', { k: [undefined] }, () => 1]) {
      expectCode(() => canonicalize(bad), 'LEDGER_JCS_UNSUPPORTED_VALUE');
    }
  });
});

describe('leaf envelope', () => {
  it('digests the canonical event, independent of member order', () => {
    const reordered = {
      n: 1.5,
      actor: { displayName: 'Ann', id: 'u1' },
      published: event.published,
      uuid: 'e-1',
    };
    expect(eventDigest(reordered).equals(eventDigest(event))).toBe(true);
    expect(eventDigest(event).toString('hex')).toBe(
      createHash('sha256').update(canonicalize(event)).digest('hex'),
    );
  });

  it('version 2 also digests the verbatim bytes, and decodes back', () => {
    const raw = '{"uuid": "e-1"}';
    const envelope = leafEnvelopeFor('okta', 'e-1', event.published, JSON.parse(raw), raw);
    expect(envelope.rawSha256).toBe(createHash('sha256').update(raw, 'utf8').digest('hex'));
    const bytes = encodeLeafEnvelope(envelope);
    expect(bytes.toString('utf8')).toBe(
      `{"eventId":"e-1","eventSha256":"${envelope.eventSha256}","published":"2024-01-02T03:04:05.678Z","rawSha256":"${envelope.rawSha256}","source":"okta","v":2}`,
    );
    expect(decodeLeafEnvelope(bytes)).toEqual(envelope);
    const v1 = encodeLeafEnvelope({ ...envelope, rawSha256: undefined }).toString('utf8');
    for (const bad of [
      v1.replace('"source"', `"rawSha256":"${envelope.rawSha256}","source"`),
      bytes.toString('utf8').replace('"v":2', '"v":3'),
      bytes.toString('utf8').replace(envelope.rawSha256!, 'x'.repeat(64)),
    ]) {
      expectCode(() => decodeLeafEnvelope(Buffer.from(bad)), 'LEDGER_ENVELOPE_INVALID', bad);
    }
  });

  it('encodes as canonical JSON with a version and decodes back', () => {
    const envelope = leafEnvelopeFor('okta', 'e-1', event.published, event);
    const bytes = encodeLeafEnvelope(envelope);
    expect(bytes.toString('utf8')).toBe(
      `{"eventId":"e-1","eventSha256":"${envelope.eventSha256}","published":"2024-01-02T03:04:05.678Z","source":"okta","v":1}`,
    );
    expect(decodeLeafEnvelope(bytes)).toEqual(envelope);
  });

  it('rejects non-canonical, unknown-field, wrong-version and malformed bytes', () => {
    const envelope = leafEnvelopeFor('okta', 'e-1', event.published, event);
    const canonical = encodeLeafEnvelope(envelope).toString('utf8');
    const cases = [
      canonical.replace('{', '{ '),
      canonical.replace('"v":1', '"v":2'),
      canonical.replace('"v":1', '"v":1,"x":1'),
      canonical.replace(envelope.eventSha256, envelope.eventSha256.toUpperCase()),
      JSON.stringify({
        v: 1,
        source: 'okta',
        eventId: 'e-1',
        published: event.published,
        eventSha256: envelope.eventSha256,
      }),
      'not json',
    ];
    for (const text of cases) {
      expectCode(() => decodeLeafEnvelope(Buffer.from(text)), 'LEDGER_ENVELOPE_INVALID', text);
    }
    expectCode(() => decodeLeafEnvelope(Buffer.from([0xff])), 'LEDGER_ENVELOPE_INVALID');
    expectCode(() => encodeLeafEnvelope({ ...envelope, eventSha256: 'abc' }), 'LEDGER_ENVELOPE_INVALID');
  });
});

describe('leaf envelope decoding', () => {
  const hex = (c: string) => c.repeat(64);
  const base = { source: 'okta', eventId: 'e-1', published: '2024-01-02T03:04:05.678Z' };
  // Strings that take the plain pattern and strings that need the general path.
  const strings = ['e-1', 'évènement', '\ud83d\ude00 emoji', 'a"quote', 'back\\slash', 'tab\there', '\u2028'];

  it('decodes every v2 envelope back to itself, whatever its strings hold', () => {
    for (const s of strings) {
      for (const field of ['source', 'eventId', 'published'] as const) {
        const envelope = { ...base, [field]: s, eventSha256: hex('a'), rawSha256: hex('b') };
        const bytes = encodeLeafEnvelope(envelope);
        expect(decodeLeafEnvelope(bytes)).toEqual(envelope);
        // As the text those bytes decode to (how verify reads leaves), the same.
        expect(decodeLeafEnvelope(bytes.toString('utf8'))).toEqual(envelope);
      }
    }
  });

  it('accepts exactly the canonical bytes: near misses of a plain envelope are refused', () => {
    const good = encodeLeafEnvelope({ ...base, eventSha256: hex('a'), rawSha256: hex('b') }).toString();
    const nearMisses = [
      good.replace('{', '{ '),
      good.replace('"v":2', '"v":2.0'),
      good.replace(hex('a'), hex('A')),
      good.replace(hex('a'), hex('a').slice(1)),
      good.replace('"eventId":"e-1"', '"eventId":""'),
      good.replace('"eventId":"e-1"', '"eventId":"e\\u002d1"'),
      good.replace('"source":"okta"', '"source":"ok\u0001ta"'),
      good
        .replace('"eventSha256"', '"rawSha256"')
        .replace('"rawSha256":"' + hex('b'), '"eventSha256":"' + hex('b')),
      good + '\n',
    ];
    for (const text of nearMisses) {
      expectCode(() => decodeLeafEnvelope(Buffer.from(text)), 'LEDGER_ENVELOPE_INVALID', text);
      expectCode(() => decodeLeafEnvelope(text), 'LEDGER_ENVELOPE_INVALID', text);
    }
    const notUtf8 = expectCode(
      () =>
        decodeLeafEnvelope(
          Buffer.from([...Buffer.from(good.slice(0, 12)), 0xff, ...Buffer.from(good.slice(12))]),
        ),
      'LEDGER_ENVELOPE_INVALID',
    );
    expect(notUtf8.message).toMatch(/not UTF-8/);
  });
});
