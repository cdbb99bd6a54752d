import type { Detection } from '../detect/detection.js';
import type { RewrittenEvent } from '../custody/custody-store.js';

/** The rule id of custody's own finding, beside the detection pack's. */
export const REWRITTEN_EVENT_RULE = 'vigil.custody.rewritten-event';

/**
 * A rewritten event as an alert: critical, since a provider changing an event it already served is
 * what Vigil keeps custody against (issue 19). One alert per new version of the event.
 */
export function rewrittenEventDetection(finding: RewrittenEvent, seenAtMs: number): Detection {
  return {
    ruleId: REWRITTEN_EVENT_RULE,
    title: 'Provider re-served a stored event with different content',
    severity: 'critical',
    entity: { type: 'event', id: finding.providerId },
    description:
      `Source ${finding.source} served event ${finding.providerId} again with different bytes: ` +
      `stored sha256 ${finding.storedSha256} (the ledgered copy), new sha256 ${finding.newSha256} ` +
      `(kept in rewritten_events). The provider's history changed after Vigil stored it.`,
    eventIds: [finding.providerId],
    timeMs: seenAtMs,
    dedupKey: `${REWRITTEN_EVENT_RULE}:${finding.source}:${finding.providerId}:${finding.newSha256}`,
    source: finding.source,
  };
}
