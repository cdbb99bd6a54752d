import { parseSigmaRules, SigmaEngine, type SigmaHit } from '../../../src/detect/sigma/index.js';

// Two base rules (failed and good Okta logins) and helpers to run correlations over timed events.
export const FAIL_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
export const OK_ID = 'aaaaaaaa-0000-4000-8000-000000000002';
export const BASE = `title: Failed login
id: ${FAIL_ID}
name: failed_login
logsource: {product: okta, service: okta}
detection:
  sel: {eventType: user.session.start, outcome.result: FAILURE}
  condition: sel
---
title: Good login
id: ${OK_ID}
name: good_login
logsource: {product: okta, service: okta}
detection:
  sel: {eventType: user.session.start, outcome.result: SUCCESS}
  condition: sel
`;

export function engine(correlation: string): SigmaEngine {
  const text = `${BASE}---\ntitle: Correlation\nid: bbbbbbbb-0000-4000-8000-000000000001\nlevel: high\ncorrelation:\n${correlation
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
  return new SigmaEngine(parseSigmaRules(text, 'corr.yml'));
}

export const login = (user: string, result: string, ip = '1.1.1.1') => ({
  eventType: 'user.session.start',
  outcome: { result },
  actor: { alternateId: user },
  client: { ipAddress: ip },
});

/** Feeds [second, event] pairs; returns the correlation hits with the second they fired at. */
export function run(e: SigmaEngine, events: [number, unknown][]): (SigmaHit & { at: number })[] {
  return events.flatMap(([s, ev], i) =>
    e
      .evaluate(ev, { timeMs: s * 1000, id: `e${i}` })
      .filter((h) => h.kind === 'correlation')
      .map((h) => ({ ...h, at: s })),
  );
}
