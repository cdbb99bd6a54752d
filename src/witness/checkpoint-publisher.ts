import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { ledgerReads, type CheckpointRow } from '../custody/ledger-reads.js';
import type { HashReader } from '../ledger/hash-reader.js';
import { consistencyProof } from '../ledger/proofs.js';
import type { VigilDatabase } from '../store/database-schema.js';
import { witnessCheckpoint, type WitnessingOutcome } from './checkpoint-witnessing.js';
import { cosignatureStore } from './cosignature-store.js';
import type { HttpFetch } from './witness-client.js';
import type { ConfiguredWitness } from './witness-config.js';

/** One log's newest checkpoint as published: whether it is new since the last publication, and each witness's answer. */
export interface Publication {
  readonly log: string;
  readonly checkpoint: CheckpointRow;
  /** Not published by this publisher before (a new checkpoint, or the first since start). */
  readonly fresh: boolean;
  readonly outcomes: readonly WitnessingOutcome[];
}

/**
 * Takes checkpoints off the host once custody has committed them (never inside the custody
 * transaction: a slow or hostile witness must not hold the store): each log's newest checkpoint goes
 * to every configured witness, and the cosignatures that verify are stored (migration 007).
 */
export class CheckpointPublisher {
  /** The note last published per log (sinks get each note once). */
  readonly #published = new Map<string, string>();
  /** The note each witness last cosigned, per log and witness. */
  readonly #cosigned = new Map<string, string>();
  readonly #cosignatures;

  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly witnesses: readonly ConfiguredWitness[],
    private readonly fetch: HttpFetch,
    private readonly clock: Clock,
    private readonly hashReader: (log: string) => HashReader,
  ) {
    this.#cosignatures = cosignatureStore(db);
  }

  /** Publishes the newest checkpoint of every log of `source` (its events log and its record logs). */
  async publishSource(source: string): Promise<Publication[]> {
    const logs = (await ledgerReads(this.db).logs()).filter(
      (l) => l === source || l.startsWith(`${source}/`),
    );
    const publications: Publication[] = [];
    for (const log of logs) publications.push(await this.publish(log));
    return publications;
  }

  async publish(log: string): Promise<Publication> {
    const checkpoint = await ledgerReads(this.db).latestCheckpoint(log);
    const fresh = this.#published.get(log) !== checkpoint.note;
    this.#published.set(log, checkpoint.note);
    const reader = this.hashReader(log);
    const witnessable = {
      log,
      treeSize: checkpoint.treeSize,
      note: checkpoint.note,
      consistencyProof: (old: number) => consistencyProof(old, checkpoint.treeSize, reader),
    };
    const outcomes: WitnessingOutcome[] = [];
    for (const witness of this.witnesses) {
      // A witness that has cosigned this very note is not asked again; one that failed is, next round.
      const key = `${log}\n${witness.name}`;
      if (this.#cosigned.get(key) === checkpoint.note) continue;
      const known = await this.#cosignatures.largestCosigned(log, witness.name);
      const outcome = await witnessCheckpoint(this.fetch, witness, witnessable, known);
      if (outcome.kind === 'cosigned') {
        for (const line of outcome.lines)
          await this.#cosignatures.save({
            log,
            treeSize: checkpoint.treeSize,
            witness: witness.name,
            line,
            receivedAtMs: this.clock.now(),
          });
        this.#cosigned.set(key, checkpoint.note);
      }
      outcomes.push(outcome);
    }
    return { log, checkpoint, fresh, outcomes };
  }
}
