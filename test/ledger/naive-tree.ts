import { EMPTY_TREE_ROOT, hashChildren } from '../../src/ledger/merkle-hash.js';
import { splitPoint } from '../../src/ledger/tree-size.js';

/** RFC 6962 §2.1 MTH written straight from the definition: the reference the fast paths must equal. */
export function naiveRoot(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_TREE_ROOT;
  if (leafHashes.length === 1) return leafHashes[0] as Buffer;
  const k = splitPoint(leafHashes.length);
  return hashChildren(naiveRoot(leafHashes.slice(0, k)), naiveRoot(leafHashes.slice(k)));
}
