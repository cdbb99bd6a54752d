import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseLedgerLog } from '../../src/ledger/ledger-log.js';
import {
  decodeRecordEnvelope,
  encodeRecordEnvelope,
  recordEnvelopeFor,
} from '../../src/ledger/record-envelope.js';
import { expectCode } from '../support/expect-code.js';

const body = '{"policies":[]}';
const envelope = recordEnvelopeFor('okta', 'config-snapshots', 'snap-1', '2026-03-10T12:00:00.000Z', body);

describe('record leaf envelope', () => {
  it('is the canonical JSON the design names, and decodes back', () => {
    const bytes = encodeRecordEnvelope(envelope);
    expect(bytes.toString('utf8')).toBe(
      '{"kind":"config-snapshots","recordId":"snap-1","recordSha256":"' +
        envelope.recordSha256 +
        '","source":"okta","time":"2026-03-10T12:00:00.000Z","v":1}',
    );
    // sha256sum of the record's bytes is the digest in the leaf.
    expect(envelope.recordSha256).toBe(createHash('sha256').update(body, 'utf8').digest('hex'));
    expect(decodeRecordEnvelope(bytes)).toEqual(envelope);
    expect(decodeRecordEnvelope(bytes.toString('utf8'))).toEqual(envelope);
  });

  it('refuses what is not exactly a canonical version 1 record envelope', () => {
    const text = encodeRecordEnvelope(envelope).toString('utf8');
    for (const bad of [
      text.replace('{', '{ '),
      text.replace('"v":1', '"v":2'),
      text.replace('"v":1', '"v":1,"x":1'),
      text.replace('"kind"', '"kind":"audit","kind"'),
      text.replace('config-snapshots', 'events'),
      text.replace('2026-03-10T12:00:00.000Z', '2026-03-10T12:00:00+01:00'),
      text.replace('"snap-1"', '""'),
      text.replace(envelope.recordSha256, envelope.recordSha256.toUpperCase()),
      '[]',
      'not json',
    ])
      expectCode(() => decodeRecordEnvelope(bad), 'LEDGER_ENVELOPE_INVALID');
  });

  it('refuses a time that is not RFC 3339 UTC and a kind that is not a record kind', () => {
    expectCode(
      () => recordEnvelopeFor('okta', 'audit', 'a', '2026-03-10 12:00:00', body),
      'LEDGER_ENVELOPE_INVALID',
    );
    expectCode(
      () => recordEnvelopeFor('okta', 'audit', 'a', '2026-02-30T12:00:00Z', body),
      'LEDGER_ENVELOPE_INVALID',
    );
    expectCode(
      // @ts-expect-error events have their own envelope
      () => recordEnvelopeFor('okta', 'events', 'a', '2026-03-10T12:00:00Z', body),
      'LEDGER_ENVELOPE_INVALID',
    );
  });

  it('log names parse back to their source and kind', () => {
    expect(parseLedgerLog('okta')).toEqual({ source: 'okta', kind: 'events' });
    expect(parseLedgerLog('okta/actions')).toEqual({ source: 'okta', kind: 'actions' });
    expect(parseLedgerLog('okta/events')).toBeUndefined();
    expect(parseLedgerLog('okta/nosuch')).toBeUndefined();
    expect(parseLedgerLog('')).toBeUndefined();
  });
});
