import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import type { HashReader } from './hash-reader.js';
import { HASH_SIZE } from './merkle-hash.js';
import { appendLeaves, EMPTY_FRONTIER, frontierRoot } from './tree-frontier.js';
import type { Frontier, NodeCoord, StoredNode } from './tree-frontier.js';

/** Hashes per chunk: 4096 × 32 bytes = 128 KiB, so 10 M leaves (20 M nodes) take ~640 MiB, not GiBs of Buffers. */
const CHUNK = 4096;

interface Chunk {
  bytes: Buffer;
  present: Uint8Array;
}

/**
 * An in-memory node store: per level, fixed-size chunks of packed 32-byte hashes. A real
 * implementation used by tests, benchmarks and bundle verification (nodes from a file, not a database).
 */
export class MemoryHashStore implements HashReader {
  private readonly levels: Chunk[][] = [];
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
    for (const { level, index, hash } of nodes) {
      const chunks = (this.levels[level] ??= []);
      const slot = Math.floor(index / CHUNK);
      const chunk = (chunks[slot] ??= {
        bytes: Buffer.alloc(CHUNK * HASH_SIZE),
        present: new Uint8Array(CHUNK),
      });
      const at = index % CHUNK;
      hash.copy(chunk.bytes, at * HASH_SIZE);
      chunk.present[at] = 1;
    }
  }

  readNodes(coords: readonly NodeCoord[]): Promise<Buffer[]> {
    try {
      return Promise.resolve(coords.map((coord) => this.readNode(coord)));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** The stored hash (a view into the chunk, valid as long as the store). */
  readNode({ level, index }: NodeCoord): Buffer {
    const chunk = this.levels[level]?.[Math.floor(index / CHUNK)];
    const at = index % CHUNK;
    if (!chunk || chunk.present[at] !== 1) {
      throw new VigilError<LedgerErrorCode>('LEDGER_NODE_MISSING', 'node not stored', {
        category: 'internal',
        details: { level, index },
      });
    }
    return chunk.bytes.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE);
  }
}
