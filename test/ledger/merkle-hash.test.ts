import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashChildren, hashLeaf } from '../../src/ledger/merkle-hash.js';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

describe('RFC 6962 hashes', () => {
  it('a leaf given as text hashes as its UTF-8 bytes', () => {
    for (const text of ['', 'okta', '{"eventId":"é\u2028😀"}', 'nul\u0000inside']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(hashLeaf(text)).toEqual(sha256(Buffer.from([0]), bytes));
      expect(hashLeaf(bytes)).toEqual(hashLeaf(text));
    }
  });

  it('node hashes reuse one input buffer without mixing up successive calls', () => {
    const a = sha256(Buffer.from('a'));
    const b = sha256(Buffer.from('b'));
    const ab = hashChildren(a, b);
    const ba = hashChildren(b, a);
    expect(ab).toEqual(sha256(Buffer.from([1]), a, b));
    expect(ba).toEqual(sha256(Buffer.from([1]), b, a));
    // Inputs that are views into a larger buffer, and inputs of other lengths.
    const both = Buffer.concat([a, b]);
    expect(hashChildren(both.subarray(0, 32), both.subarray(32))).toEqual(ab);
    expect(hashChildren(Buffer.from('x'), Buffer.from('yz'))).toEqual(sha256(Buffer.from('\u0001xyz')));
  });
});
