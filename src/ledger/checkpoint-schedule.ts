/**
 * When to sign the next checkpoint (issue 4): every `everyEvents` new leaves or after `everyMs` with
 * new leaves, and after `heartbeatMs` even when nothing changed, so a dropped tail shows as a missing
 * fresh checkpoint (the idea of CloudTrail's empty hourly digests, research/ledger.md §4). Pure: the
 * caller passes the time read from its injected Clock.
 */
export interface CheckpointPolicy {
  everyEvents: number;
  everyMs: number;
  heartbeatMs: number;
}

export interface LastCheckpoint {
  size: number;
  /** Clock time (ms) the last checkpoint was signed. */
  signedAt: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = {
  everyEvents: 1000,
  everyMs: 60_000,
  heartbeatMs: 15 * 60_000,
};

export type CheckpointReason = 'first' | 'events' | 'interval' | 'heartbeat';

/** The reason a checkpoint is due now, or undefined when none is. */
export function checkpointDue(
  last: LastCheckpoint | undefined,
  size: number,
  now: number,
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
): CheckpointReason | undefined {
  if (!last) return 'first';
  const grown = size - last.size;
  const elapsed = now - last.signedAt;
  if (grown >= policy.everyEvents) return 'events';
  if (grown > 0 && elapsed >= policy.everyMs) return 'interval';
  if (elapsed >= policy.heartbeatMs) return 'heartbeat';
  return undefined;
}
