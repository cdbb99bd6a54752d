import type { Alert } from './alert.js';

export const SAMPLE_RULE_ID = 'vigil-sink-test';

/**
 * What `vigil alerts test` sends: an alert that says it is a test, names no real person, and is not
 * stored. Its id carries the time so a receiver that deduplicates by id still shows each test.
 */
export function sampleAlert(nowMs: number): Alert {
  const title = 'Vigil test alert: this sink receives Vigil alerts';
  const description =
    'Sent by `vigil alerts test` to check that this sink is configured and reachable. No action needed.';
  const dedupKey = `${SAMPLE_RULE_ID}:${nowMs}`;
  return {
    id: `test-${nowMs}`,
    ruleId: SAMPLE_RULE_ID,
    title,
    severity: 'informational',
    entity: { type: 'test', id: 'vigil', display: 'vigil alerts test' },
    description,
    eventIds: [],
    dedupKey,
    status: 'open',
    count: 1,
    firstSeenMs: nowMs,
    lastSeenMs: nowMs,
    createdMs: nowMs,
    transitions: [],
    reasons: [{ ruleId: SAMPLE_RULE_ID, title, description, severity: 'informational', dedupKey }],
    heldBack: false,
  };
}
