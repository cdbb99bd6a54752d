import type { BreachTruth, ExpectedContainment, ScenarioTruth } from '../../sim/scenarios/scenario.js';

/** One provider-side containment action, in the ground truth's terms (`ExpectedContainment`). */
export type ContainmentKey = ExpectedContainment;

/** What the response did, as the drill observed it; scored against the scenario's ground truth. */
export interface DrillObservation {
  /** The first attack event's published time (ms). */
  readonly attackStartMs: number;
  /** When the first alert about an attack event was raised, on the drill's clock (ms); null: never. */
  readonly firstAlertMs: number | null;
  /** The rules that fired on attack events. */
  readonly detectionsFired: readonly string[];
  /** The events the incident report cites, with why (`CitedEvent.why`). */
  readonly cited: readonly { readonly uuid: string; readonly why: readonly string[] }[];
  /** The ids of the people the report names as affected. */
  readonly principalsNamed: readonly string[];
  /** Support reconciliation: the events it found no approved ticket for, and those it matched (to a case). */
  readonly support: {
    readonly unmatched: readonly string[];
    readonly matched: readonly { readonly eventId: string; readonly caseNumber: string }[];
  };
  /** The containment plan's actions, in the ground truth's terms. */
  readonly planned: readonly ContainmentKey[];
  /** The provider's System Log events collected after containment ran: what it shows was done. */
  readonly providerEvents: readonly {
    readonly eventType: string;
    readonly targets: readonly string[];
    readonly published: string;
  }[];
}

/** One line of the score table. */
export interface DrillCriterion {
  readonly name: string;
  /** What was found, as a count or a duration. */
  readonly got: number;
  readonly of: number;
  /**
   * `time`: `got` is milliseconds and `of` unused; `count`: got of `of`; `zero`: `got` must be 0;
   * `info`: told, never failed nor scored (`got` beyond what the ground truth asks, `missing` lists them).
   */
  readonly kind: 'count' | 'time' | 'zero' | 'info';
  readonly pass: boolean;
  /** What is missing or wrong, by id: what to look at when the drill fails. */
  readonly missing: readonly string[];
}

export interface DrillScore {
  readonly scenario: string;
  readonly criteria: readonly DrillCriterion[];
  /** Points earned over points possible, every count criterion weighing its size and the others one. */
  readonly points: number;
  readonly possible: number;
  readonly pass: boolean;
}

const keyOf = (c: ContainmentKey): string => ('target' in c ? `${c.kind}:${c.target}` : c.kind);

/** The provider event that shows a containment action was carried out. */
const EVIDENCE: Readonly<Record<ContainmentKey['kind'], readonly string[]>> = {
  'revoke-support-access': ['user.session.impersonation.revoke'],
  'clear-sessions': ['user.session.clear'],
  'reset-factors': ['user.mfa.factor.reset_all'],
  'suspend-user': ['user.lifecycle.suspend'],
  'revoke-api-token': ['system.api_token.revoke'],
  'deactivate-idp': ['system.idp.lifecycle.deactivate'],
  'revert-policy-rule': ['policy.rule.update'],
};

/** Whether the provider's log shows the action done. */
export function containmentShown(
  action: ContainmentKey,
  events: DrillObservation['providerEvents'],
): boolean {
  const types = EVIDENCE[action.kind];
  return events.some(
    (e) => types.includes(e.eventType) && (!('target' in action) || e.targets.includes(action.target)),
  );
}

/** Why a cited event is attributed to the attack (not merely in an in-scope category). */
const attributed = (why: readonly string[]) =>
  why.some((w) => w.startsWith('ioc:') || w === 'support-performed');

/**
 * Scores a response against the scenario's ground truth (issue 17, "Drills"): a first alert on the
 * attack; every expected detection; every attack event cited and no background event attributed to
 * the attack; every principal named; every support action reconciled as the truth says; every
 * expected containment action planned and shown done by the provider's own log.
 */
export function scoreDrill(
  truth: ScenarioTruth & { readonly breach: BreachTruth },
  seen: DrillObservation,
): DrillScore {
  const criteria: DrillCriterion[] = [];
  const count = (name: string, expected: readonly string[], have: ReadonlySet<string>) => {
    const missing = expected.filter((x) => !have.has(x));
    criteria.push({
      name,
      got: expected.length - missing.length,
      of: expected.length,
      kind: 'count',
      pass: missing.length === 0,
      missing,
    });
  };

  criteria.push({
    name: 'time to first alert',
    got: seen.firstAlertMs === null ? -1 : Math.max(0, seen.firstAlertMs - seen.attackStartMs),
    of: 0,
    kind: 'time',
    pass: seen.firstAlertMs !== null,
    missing: seen.firstAlertMs === null ? ['no alert on an attack event'] : [],
  });
  count('expected detections fired', truth.expectedDetections, new Set(seen.detectionsFired));

  const cited = new Set(seen.cited.map((c) => c.uuid));
  count('attack events cited', truth.attackEventIds, cited);
  const attack = new Set(truth.attackEventIds);
  const misCited = seen.cited.filter((c) => !attack.has(c.uuid) && attributed(c.why)).map((c) => c.uuid);
  criteria.push({
    name: 'background events mis-cited',
    got: misCited.length,
    of: seen.cited.filter((c) => !attack.has(c.uuid)).length,
    kind: 'zero',
    pass: misCited.length === 0,
    missing: misCited,
  });
  count(
    'principals named',
    truth.breach.principals.map((p) => p.id),
    new Set(seen.principalsNamed),
  );

  const truthIds = new Set(truth.breach.principals.map((p) => p.id));
  const others = seen.principalsNamed.filter((id) => !truthIds.has(id));
  criteria.push({
    name: 'other people named',
    got: others.length,
    of: 0,
    kind: 'info',
    pass: true,
    missing: others,
  });

  const unmatched = new Set(seen.support.unmatched);
  const matched = new Map(seen.support.matched.map((m) => [m.eventId, m.caseNumber]));
  const reconciledRight = new Set(
    truth.breach.supportActions
      .filter((a) =>
        a.approvedTicket === null ? unmatched.has(a.eventId) : matched.get(a.eventId) === a.approvedTicket,
      )
      .map((a) => a.eventId),
  );
  count(
    'support actions reconciled',
    truth.breach.supportActions.map((a) => a.eventId),
    reconciledRight,
  );

  const expected = truth.breach.containment;
  count('containment planned', expected.map(keyOf), new Set(seen.planned.map(keyOf)));
  const expectedKeys = new Set(expected.map(keyOf));
  const beyond = seen.planned.map(keyOf).filter((k) => !expectedKeys.has(k));
  criteria.push({
    name: 'containment beyond the ground truth',
    got: beyond.length,
    of: 0,
    kind: 'info',
    pass: true,
    missing: beyond,
  });
  count(
    'containment done (provider log)',
    expected.map(keyOf),
    new Set(expected.filter((a) => containmentShown(a, seen.providerEvents)).map(keyOf)),
  );

  let points = 0;
  let possible = 0;
  for (const c of criteria) {
    if (c.kind === 'count') {
      points += c.got;
      possible += c.of;
    } else if (c.kind !== 'info') {
      points += c.pass ? 1 : 0;
      possible += 1;
    }
  }
  return {
    scenario: truth.scenario,
    criteria,
    points,
    possible,
    pass: criteria.every((c) => c.pass),
  };
}
