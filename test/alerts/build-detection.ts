import type { Detection } from '../../src/detect/detection.js';

export const T0 = Date.parse('2026-03-01T10:00:00Z');

/** Builder for a detection as the detection pack emits it. */
export function buildDetection(overrides: Partial<Detection> = {}): Detection {
  return {
    ruleId: 'vigil.mfa.push-fatigue',
    title: 'MFA push fatigue',
    severity: 'medium',
    entity: { type: 'user', id: '00u1', display: 'bob@example.com' },
    description: 'Many push challenges were denied for bob@example.com.',
    eventIds: ['e1'],
    timeMs: T0,
    dedupKey: 'vigil.mfa.push-fatigue|00u1',
    ...overrides,
  };
}
