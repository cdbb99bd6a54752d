import { createHash } from 'node:crypto';
import { maxSeverity } from '../detect/severity.js';
import type { Detection } from '../detect/detection.js';
import type { Alert } from './alert.js';

/** An alert keeps at most this many event ids; `count` still counts every repeat. */
export const MAX_EVENT_IDS_PER_ALERT = 500;

/**
 * Whether a detection repeats `alert` (issue 5: "deduplicated by key within a window"). The window is
 * fixed from the alert's first occurrence, as in Panther's dedup period, so a long campaign yields
 * one alert per window rather than one alert forever; a resolved alert never absorbs repeats, so
 * a recurrence after resolution opens a new alert.
 */
export function absorbs(alert: Alert, detection: Detection, windowMs: number): boolean {
  return (
    alert.status !== 'resolved' &&
    alert.dedupKey === detection.dedupKey &&
    Math.abs(detection.timeMs - alert.firstSeenMs) < windowMs
  );
}

/** Union of event ids in first-seen order, capped. */
export function mergeEventIds(existing: readonly string[], added: readonly string[]): string[] {
  const merged = [...existing];
  const seen = new Set(existing);
  for (const id of added) {
    if (merged.length >= MAX_EVENT_IDS_PER_ALERT) break;
    if (!seen.has(id)) {
      seen.add(id);
      merged.push(id);
    }
  }
  return merged;
}

/** The alert after folding in one repeat: count+1, time range widened, ids merged, severity raised. */
export function foldRepeat(alert: Alert, detection: Detection): Alert {
  return {
    ...alert,
    count: alert.count + 1,
    firstSeenMs: Math.min(alert.firstSeenMs, detection.timeMs),
    lastSeenMs: Math.max(alert.lastSeenMs, detection.timeMs),
    eventIds: mergeEventIds(alert.eventIds, detection.eventIds),
    severity: maxSeverity(alert.severity, detection.severity),
  };
}

/**
 * Stable alert id from the dedup key and first occurrence, so replaying the same events into a
 * fresh store yields the same ids (docs/design.md "Time and determinism").
 */
export function alertIdFor(dedupKey: string, firstSeenMs: number, ordinal: number): string {
  const digest = createHash('sha256').update(`${dedupKey}\n${firstSeenMs}\n${ordinal}`).digest('hex');
  return `a-${digest.slice(0, 12)}`;
}

export function newAlert(detection: Detection, id: string, createdMs: number): Alert {
  return {
    id,
    ruleId: detection.ruleId,
    title: detection.title,
    severity: detection.severity,
    entity: detection.entity,
    description: detection.description,
    eventIds: mergeEventIds([], detection.eventIds),
    dedupKey: detection.dedupKey,
    ...(detection.source === undefined ? {} : { source: detection.source }),
    status: 'open',
    count: 1,
    firstSeenMs: detection.timeMs,
    lastSeenMs: detection.timeMs,
    createdMs,
    transitions: [],
  };
}
