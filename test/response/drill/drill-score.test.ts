import { describe, expect, it } from 'vitest';
import {
  containmentShown,
  scoreDrill,
  type DrillObservation,
} from '../../../src/response/drill/drill-score.js';
import type { BreachTruth, ScenarioTruth } from '../../../src/sim/scenarios/scenario.js';

const truth: ScenarioTruth & { breach: BreachTruth } = {
  scenario: 'test-breach',
  attackEventIds: ['a1', 'a2', 'a3'],
  expectedDetections: ['rule-x'],
  breach: {
    publishedWindow: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z', basis: 'test' },
    iocs: [{ kind: 'ip', value: '203.0.113.9' }],
    principals: [
      { id: 'u1', login: 'one@example.com', why: 'reset' },
      { id: 'u2', login: 'two@example.com', why: 'impersonated' },
    ],
    containment: [{ kind: 'revoke-support-access' }, { kind: 'clear-sessions', target: 'u1' }],
    supportActions: [
      { eventId: 'a2', approvedTicket: null },
      { eventId: 'a3', approvedTicket: '4242' },
    ],
  },
};

/** A response that found and did everything. */
const perfect: DrillObservation = {
  attackStartMs: Date.parse('2026-03-02T10:00:00Z'),
  firstAlertMs: Date.parse('2026-03-02T10:01:00Z'),
  detectionsFired: ['rule-x', 'rule-y'],
  cited: [
    { uuid: 'a1', why: ['credential-change', 'ioc:ip:203.0.113.9'] },
    { uuid: 'a2', why: ['support-access'] },
    { uuid: 'a3', why: ['support-performed', 'credential-change'] },
    { uuid: 'b1', why: ['credential-change'] },
  ],
  principalsNamed: ['u1', 'u2', 'u9'],
  support: { unmatched: ['a2'], matched: [{ eventId: 'a3', caseNumber: '4242' }] },
  planned: [{ kind: 'revoke-support-access' }, { kind: 'clear-sessions', target: 'u1' }],
  providerEvents: [
    {
      eventType: 'user.session.impersonation.revoke',
      targets: ['00uadmin'],
      published: '2026-03-02T11:00:00Z',
    },
    { eventType: 'user.session.clear', targets: ['u1'], published: '2026-03-02T11:00:01Z' },
  ],
};

const named = (score: ReturnType<typeof scoreDrill>, name: string) =>
  score.criteria.find((c) => c.name === name)!;

describe('drill score', () => {
  it('a response that found and did everything scores full marks', () => {
    const score = scoreDrill(truth, perfect);
    expect(score.pass).toBe(true);
    expect(score.points).toBe(score.possible);
    expect(named(score, 'time to first alert')).toMatchObject({ got: 60_000, pass: true });
    // A background event cited for its category only is not mis-cited.
    expect(named(score, 'background events mis-cited')).toMatchObject({ got: 0, of: 1, pass: true });
    // Told, not scored: a third person named beyond the ground truth.
    expect(named(score, 'other people named')).toMatchObject({ kind: 'info', got: 1, missing: ['u9'] });
  });

  it('names what each criterion misses', () => {
    const score = scoreDrill(truth, {
      ...perfect,
      firstAlertMs: null,
      detectionsFired: ['rule-y'],
      cited: [
        { uuid: 'a1', why: ['credential-change'] },
        // Background events attributed to the attack: an indicator hit, a support-tool action.
        { uuid: 'b1', why: ['ioc:ip:203.0.113.9'] },
        { uuid: 'b2', why: ['support-performed'] },
      ],
      principalsNamed: ['u2'],
      // The unapproved action was taken as matched; the approved one reported as unmatched.
      support: { unmatched: ['a3'], matched: [{ eventId: 'a2', caseNumber: '4242' }] },
      planned: [{ kind: 'clear-sessions', target: 'u2' }],
      providerEvents: [
        { eventType: 'user.session.clear', targets: ['u2'], published: '2026-03-02T11:00:00Z' },
      ],
    });
    expect(score.pass).toBe(false);
    // One each for the alert and the mis-cited check, a point per item of the others.
    expect([score.points, score.possible]).toEqual([
      0 + 0 + 1 + 0 + 1 + 0 + 0 + 0,
      1 + 1 + 3 + 1 + 2 + 2 + 2 + 2,
    ]);
    expect(score.criteria.map((c) => [c.name, c.missing])).toEqual([
      ['time to first alert', ['no alert on an attack event']],
      ['expected detections fired', ['rule-x']],
      ['attack events cited', ['a2', 'a3']],
      ['background events mis-cited', ['b1', 'b2']],
      ['principals named', ['u1']],
      ['other people named', []],
      ['support actions reconciled', ['a2', 'a3']],
      ['containment planned', ['revoke-support-access', 'clear-sessions:u1']],
      ['containment beyond the ground truth', ['clear-sessions:u2']],
      ['containment done (provider log)', ['revoke-support-access', 'clear-sessions:u1']],
    ]);
  });

  it("a matched support action counts only under the ground truth's case", () => {
    const score = scoreDrill(truth, {
      ...perfect,
      support: { unmatched: ['a2'], matched: [{ eventId: 'a3', caseNumber: '9999' }] },
    });
    expect(named(score, 'support actions reconciled')).toMatchObject({ got: 1, of: 2, missing: ['a3'] });
  });

  it("containment counts as done only when the provider's log shows it on the expected target", () => {
    const events = [
      { eventType: 'user.mfa.factor.reset_all', targets: ['u1'], published: '2026-03-02T11:00:00Z' },
    ];
    expect(containmentShown({ kind: 'reset-factors', target: 'u1' }, events)).toBe(true);
    expect(containmentShown({ kind: 'reset-factors', target: 'u2' }, events)).toBe(false);
    expect(containmentShown({ kind: 'clear-sessions', target: 'u1' }, events)).toBe(false);
    expect(containmentShown({ kind: 'revoke-support-access' }, events)).toBe(false);
  });
});
