import type { Alert } from '../../src/alerts/alert.js';

/** Builder for an alert as the store would hand it to a sink. */
export function buildAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a-0123456789ab',
    ruleId: 'vigil.support.impersonation',
    title: 'Okta support impersonated a user',
    severity: 'high',
    entity: { type: 'user', id: '00u1abcd', display: 'alice@example.com' },
    description: 'An Okta support engineer started an impersonation session for alice@example.com.',
    eventIds: ['evt-1', 'evt-2'],
    dedupKey: 'vigil.support.impersonation|00u1abcd',
    status: 'open',
    count: 1,
    firstSeenMs: Date.parse('2026-03-01T10:00:00Z'),
    lastSeenMs: Date.parse('2026-03-01T10:05:00Z'),
    createdMs: Date.parse('2026-03-01T10:05:01Z'),
    transitions: [],
    reasons: [
      {
        ruleId: 'vigil.support.impersonation',
        title: 'Okta support impersonated a user',
        description: 'An Okta support engineer started an impersonation session for alice@example.com.',
        severity: 'high',
        dedupKey: 'vigil.support.impersonation|00u1abcd',
      },
    ],
    heldBack: false,
    ...overrides,
  };
}
