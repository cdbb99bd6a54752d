import type { HashReader } from './hash-reader.js';
import { frontierCoords } from './tree-frontier.js';
import type { Frontier } from './tree-frontier.js';

/**
 * Rebuilds the append frontier of a stored tree of `size` leaves in one batched read of at most
 * log2(size) nodes, so a writer resumes after a restart without loading the tree.
 */
export async function readFrontier(size: number, reader: HashReader): Promise<Frontier> {
  const coords = frontierCoords(size);
  const hashes = coords.length === 0 ? [] : await reader.readNodes(coords);
  return { size, hashes };
}
