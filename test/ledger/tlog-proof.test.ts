import { describe, expect, it } from 'vitest';
import { formatTlogProof, parseTlogProof } from '../../src/ledger/tlog-proof.js';
import { expectCode } from '../support/expect-code.js';

const hash = (n: number) => Buffer.alloc(32, n);
const checkpoint =
  'vigil.local/okta\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— vigil.local/okta abcd\n';

describe('c2sp.org/tlog-proof@v1', () => {
  it('round-trips with and without extra data, and with an empty proof', () => {
    for (const p of [
      { extra: Buffer.from('{"v":2}'), index: 2, proof: [hash(1), hash(2)], checkpoint },
      { index: 0, proof: [], checkpoint },
    ]) {
      const text = formatTlogProof(p);
      expect(parseTlogProof(text)).toEqual(p);
    }
    expect(formatTlogProof({ index: 7, proof: [hash(1)], checkpoint })).toBe(
      `c2sp.org/tlog-proof@v1\nindex 7\n${hash(1).toString('base64')}\n\n${checkpoint}`,
    );
  });

  it('refuses a wrong header, a non-canonical index, short or non-base64 hashes, a missing checkpoint', () => {
    const good = formatTlogProof({ index: 5, proof: [hash(1)], checkpoint });
    for (const bad of [
      good.replace('tlog-proof@v1', 'tlog-proof@v2'),
      good.replace('index 5', 'index 05'),
      good.replace('index 5', 'index -5'),
      good.replace('index 5', 'idx 5'),
      good.replace(hash(1).toString('base64'), Buffer.alloc(31).toString('base64')),
      good.replace(hash(1).toString('base64'), '!!!!'),
      good.replace('\n\n', '\n'),
      good.slice(0, good.indexOf('\n\n') + 2),
    ]) {
      expectCode(() => parseTlogProof(bad), 'LEDGER_TLOG_PROOF_MALFORMED', bad);
    }
  });
});
