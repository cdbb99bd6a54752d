import * as crypto from 'node:crypto';

/** RFC 6962 §2.1 domain-separation prefixes: 0x00 for leaves, 0x01 for interior nodes. */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const HASH_SIZE = 32;

/**
 * SHA-256 of one buffer. One-shot crypto.hash (Node >= 20.12) is markedly faster than
 * createHash().update().digest() per node; package.json allows any Node 20, so fall back.
 */
export const sha256: (data: Uint8Array | string) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/**
 * RFC 6962 §2.1: MTH({d(0)}) = SHA-256(0x00 || d(0)). `data` as text stands for its UTF-8 bytes
 * (U+0000 encodes as the 0x00 prefix); hashing text saves a copy into a buffer.
 */
export function hashLeaf(data: Uint8Array | string): Buffer {
  return sha256(typeof data === 'string' ? '\u0000' + data : Buffer.concat([LEAF_PREFIX, data]));
}

/** 0x01 ‖ left ‖ right of the node being hashed: one buffer reused, as hashing is synchronous. */
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/** RFC 6962 §2.1: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    return sha256(Buffer.concat([NODE_PREFIX, left, right]));
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_SIZE);
  return sha256(NODE_INPUT);
}

/**
 * RFC 6962 §2.1: MTH({}) = SHA-256() of the empty string. Go's sumdb/tlog uses an all-zero hash
 * instead (research/ledger.md §1.5); we follow the RFC and C2SP.
 */
export const EMPTY_TREE_ROOT: Buffer = sha256(Buffer.alloc(0));
