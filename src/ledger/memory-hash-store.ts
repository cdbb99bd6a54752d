import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import type { HashReader } from './hash-reader.js';
import { appendLeaves, EMPTY_FRONTIER, frontierRoot } from './tree-frontier.js';
import type { Frontier, NodeCoord, StoredNode } from './tree-frontier.js';

/**
 * An in-memory node store: one array per level, indexed by node index. A real implementation used by
 * tests, benchmarks and bundle verification (where the nodes come from a file, not a database).
 */
export class MemoryHashStore implements HashReader {
  private readonly levels: Buffer[][] = [];
  private current: Frontier = EMPTY_FRONTIER;

  get size(): number {
    return this.current.size;
  }

  get frontier(): Frontier {
    return this.current;
  }

  /** Appends leaf hashes, keeping every completed node. Returns the new tree size. */
  append(leafHashes: readonly Buffer[]): number {
    const { frontier, nodes } = appendLeaves(this.current, leafHashes);
    this.putNodes(nodes);
    this.current = frontier;
    return frontier.size;
  }

  root(): Buffer {
    return frontierRoot(this.current);
  }

  putNodes(nodes: readonly StoredNode[]): void {
    for (const node of nodes) {
      let level = this.levels[node.level];
      if (!level) {
        level = [];
        this.levels[node.level] = level;
      }
      level[node.index] = node.hash;
    }
  }

  readNodes(coords: readonly NodeCoord[]): Promise<Buffer[]> {
    try {
      return Promise.resolve(coords.map((coord) => this.readNode(coord)));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  readNode(coord: NodeCoord): Buffer {
    const hash = this.levels[coord.level]?.[coord.index];
    if (!hash) {
      throw new VigilError<LedgerErrorCode>('LEDGER_NODE_MISSING', 'node not stored', {
        category: 'internal',
        details: { level: coord.level, index: coord.index },
      });
    }
    return hash;
  }
}
