import type { NodeCoord } from './tree-frontier.js';

/**
 * Where proofs read stored perfect-subtree hashes from. Batched like Go's tlog.HashReader so a SQL
 * store answers a whole proof with one query. Returns hashes in the order asked; throws
 * LEDGER_NODE_MISSING (or its own error) when a node is absent.
 */
export interface HashReader {
  readNodes(coords: readonly NodeCoord[]): Promise<Buffer[]>;
}
