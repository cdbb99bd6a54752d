import type { Alert } from './alert.js';
import { AlertRouter, type AlertRoute, type DeliveryResult } from './alert-router.js';

/** What custody signed: a log's checkpoint note, verbatim, with its size and origin. */
export interface PublishedCheckpoint {
  readonly log: string;
  readonly origin: string;
  readonly treeSize: number;
  /** The signed note, verbatim: a receiver can check it with the ledger's verifier key. */
  readonly note: string;
}

export const CHECKPOINT_RULE_ID = 'vigil-checkpoint';

/**
 * A signed checkpoint as a low-severity message for the alert sinks (issue 14: checkpoints leave the
 * host as they are signed). A copy held by a syslog server, a webhook receiver or a mailbox is what
 * later shows a truncated or rolled-back store: its size and root must still be in the store's tree.
 * The whole note is the description, so the receiver keeps the signature too.
 */
export function checkpointMessage(checkpoint: PublishedCheckpoint, nowMs: number): Alert {
  const title = `checkpoint ${checkpoint.origin} size ${checkpoint.treeSize}`;
  const dedupKey = `checkpoint:${checkpoint.log}:${checkpoint.treeSize}`;
  return {
    id: `checkpoint-${nowMs}-${checkpoint.log}-${checkpoint.treeSize}`,
    ruleId: CHECKPOINT_RULE_ID,
    title,
    severity: 'low',
    entity: { type: 'ledger', id: checkpoint.log, display: checkpoint.origin },
    description: checkpoint.note,
    eventIds: [],
    dedupKey,
    source: checkpoint.log.split('/')[0]!,
    status: 'open',
    count: 1,
    firstSeenMs: nowMs,
    lastSeenMs: nowMs,
    createdMs: nowMs,
    transitions: [],
    reasons: [{ ruleId: CHECKPOINT_RULE_ID, title, description: checkpoint.note, severity: 'low', dedupKey }],
    heldBack: false,
  };
}

/**
 * Sends a checkpoint to every configured sink, whatever its `minSeverity` (that filter is for
 * detections; a checkpoint is evidence). Not stored and not retried: the next checkpoint, at the
 * latest the heartbeat's, carries everything this one did. One result per sink.
 */
export async function sendCheckpoint(
  routes: readonly AlertRoute[],
  checkpoint: PublishedCheckpoint,
  nowMs: number,
): Promise<DeliveryResult[]> {
  return new AlertRouter(routes).sendToEach(checkpointMessage(checkpoint, nowMs));
}
