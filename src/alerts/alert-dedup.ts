import { createHash } from 'node:crypto';
import { maxSeverity, severityRank } from '../detect/severity.js';
import type { Detection } from '../detect/detection.js';
import type { Alert, AlertReason } from './alert.js';

/** An alert keeps at most this many event ids; `count` still counts every repeat. */
export const MAX_EVENT_IDS_PER_ALERT = 500;

export const reasonOf = (detection: Detection): AlertReason => ({
  ruleId: detection.ruleId,
  title: detection.title,
  description: detection.description,
  severity: detection.severity,
  dedupKey: detection.dedupKey,
});

const sameEntity = (a: Alert['entity'], b: Detection['entity']): boolean =>
  a.type === b.type && a.id === b.id;

/**
 * Whether a detection belongs to `alert` (issue 14 "the same story fires once"). The grouping key is
 * the entity, the window and the story:
 * - a repeat: the dedup key of one of the alert's reasons (issue 5: "deduplicated by key within a
 *   window"), whatever the entity;
 * - the same story told by another rule: the same user or address within the window. One support
 *   reset fires both "reset by Okta support" and "all factors reset"; a help-desk takeover fires the
 *   reset, the proxy sign-in and the chain; each is one story about one person. Org-wide findings
 *   (entity `org`) only fold by key: two of them are rarely one story.
 * The window is fixed from the alert's first occurrence, as in Panther's dedup period, so a long
 * campaign yields one alert per window rather than one alert forever; a resolved alert never
 * absorbs anything, so a recurrence after resolution opens a new alert. A story that turns more
 * severe is sent again (alert-intake.ts), so grouping never hides an escalation.
 */
export function absorbs(alert: Alert, detection: Detection, windowMs: number): boolean {
  if (alert.status === 'resolved' || Math.abs(detection.timeMs - alert.firstSeenMs) >= windowMs) return false;
  if (alert.reasons.some((r) => r.dedupKey === detection.dedupKey)) return true;
  return detection.entity.type !== 'org' && sameEntity(alert.entity, detection.entity);
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

/**
 * The alert after folding in one detection: count+1, time range widened, ids merged, severity
 * raised; a rule not yet among the reasons is added, and leads (rule, title, description) when it is
 * more severe than every reason so far, so the headline a responder reads is the worst one.
 */
export function foldRepeat(alert: Alert, detection: Detection): Alert {
  const known = alert.reasons.some((r) => r.ruleId === detection.ruleId);
  const leads = !known && severityRank(detection.severity) > severityRank(alert.severity);
  return {
    ...alert,
    ...(leads
      ? { ruleId: detection.ruleId, title: detection.title, description: detection.description }
      : {}),
    count: alert.count + 1,
    firstSeenMs: Math.min(alert.firstSeenMs, detection.timeMs),
    lastSeenMs: Math.max(alert.lastSeenMs, detection.timeMs),
    eventIds: mergeEventIds(alert.eventIds, detection.eventIds),
    severity: maxSeverity(alert.severity, detection.severity),
    reasons: known ? alert.reasons : [...alert.reasons, reasonOf(detection)],
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

export function newAlert(detection: Detection, id: string, createdMs: number, heldBack = false): Alert {
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
    reasons: [reasonOf(detection)],
    heldBack,
  };
}
