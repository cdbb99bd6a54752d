import type { AlertRoute, DeliveryResult } from '../alerts/alert-router.js';
import { sendCheckpoint } from '../alerts/checkpoint-message.js';
import type { Clock } from '../core/clock.js';
import type { Detection } from '../detect/detection.js';
import type { Severity } from '../detect/severity.js';
import type { CheckpointPublisher } from '../witness/checkpoint-publisher.js';
import type { WitnessingOutcome } from '../witness/checkpoint-witnessing.js';

/** What became of one log's newest checkpoint after a collection round. */
export interface PublicationReport {
  readonly log: string;
  readonly treeSize: number;
  /** Sent to the sinks this time (a checkpoint goes to the sinks once). */
  readonly sinks: readonly DeliveryResult[];
  readonly witnesses: readonly WitnessingOutcome[];
}

/** Witness answers raised as alerts, and how bad each is. */
const ALARMING: Partial<Record<WitnessingOutcome['kind'], Severity>> = {
  'witness-ahead': 'critical',
  inconsistent: 'critical',
  'bad-cosignature': 'high',
  // 404 (the witness does not follow this log), 403 (it trusts another key for it), 400: set-up.
  refused: 'medium',
};

/**
 * Answers that mean the store or the log is not what the witness saw (or the witness is not who it
 * was configured as): they fail a collection run. A refusal or no answer is reported, not failed on.
 */
export const failsRun = (outcome: WitnessingOutcome): boolean =>
  outcome.kind === 'witness-ahead' || outcome.kind === 'inconsistent' || outcome.kind === 'bad-cosignature';

/**
 * The "checkpoint published" hook, run by `collect` at start and after each round has committed: the
 * newest checkpoint of each of the source's logs goes to every witness (cosignatures stored) and,
 * when new, to every alert sink as a low-severity message. A witness that has seen a larger tree,
 * or refuses the checkpoint as inconsistent, raises an alert the way detections do.
 */
export class CheckpointPublication {
  constructor(
    private readonly publisher: CheckpointPublisher,
    private readonly routes: readonly AlertRoute[],
    /** Raises an alert the way detections are raised (stored, deduplicated, queued for the sinks). */
    private readonly raise: (detection: Detection, source: string) => Promise<void>,
    private readonly clock: Clock,
  ) {}

  async publish(source: string): Promise<PublicationReport[]> {
    const reports: PublicationReport[] = [];
    for (const publication of await this.publisher.publishSource(source)) {
      const { log, checkpoint } = publication;
      const origin = checkpoint.note.slice(0, checkpoint.note.indexOf('\n'));
      const sinks = publication.fresh
        ? await sendCheckpoint(
            this.routes,
            { log, origin, treeSize: checkpoint.treeSize, note: checkpoint.note },
            this.clock.now(),
          )
        : [];
      for (const outcome of publication.outcomes) {
        const severity = ALARMING[outcome.kind];
        if (severity)
          await this.raise(witnessAlarm(outcome, origin, severity, source, this.clock.now()), source);
      }
      reports.push({ log, treeSize: checkpoint.treeSize, sinks, witnesses: publication.outcomes });
    }
    return reports;
  }
}

/** Why a witness answer is alarming, in a sentence a responder reads first. */
export function describeOutcome(outcome: WitnessingOutcome): string {
  switch (outcome.kind) {
    case 'cosigned':
      return `cosigned size ${outcome.treeSize}`;
    case 'witness-ahead':
      return `the witness has cosigned size ${outcome.witnessSize} of this log, the store holds ${outcome.treeSize}: the store was truncated or rolled back`;
    case 'inconsistent':
      return `the witness refused size ${outcome.treeSize} as inconsistent with what it cosigned (HTTP ${outcome.status}: ${outcome.reason}): the log was forked or rewritten`;
    case 'refused':
      return `the witness refused the checkpoint (HTTP ${outcome.status}: ${outcome.reason})`;
    case 'bad-cosignature':
      return `the witness answered without a valid cosignature: ${outcome.reason}`;
    case 'unreachable':
      return `the witness could not be reached: ${outcome.reason}`;
  }
}

function witnessAlarm(
  outcome: WitnessingOutcome,
  origin: string,
  severity: Severity,
  source: string,
  nowMs: number,
): Detection {
  return {
    ruleId: `vigil-witness-${outcome.kind}`,
    title: `witness ${outcome.witness}: ${outcome.kind} for ${origin}`,
    severity,
    entity: { type: 'ledger', id: outcome.log, display: origin },
    description: describeOutcome(outcome),
    eventIds: [],
    timeMs: nowMs,
    dedupKey: `witness:${outcome.witness}:${outcome.log}:${outcome.kind}`,
    source,
  };
}
