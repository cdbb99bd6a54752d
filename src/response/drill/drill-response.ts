import type { ManualClock } from '../../core/clock.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { ContainmentAction } from '../containment/containment-action.js';
import { ContainmentService } from '../containment/containment-service.js';
import type { Incident } from '../incident/incident.js';
import type { BlastRadius } from '../report/blast-radius.js';
import type { SupportReconciliation } from '../support/reconcile.js';
import type { ContainmentKey, DrillObservation } from './drill-score.js';

/** What the drill's containment did: the plan, each action's result, and the provider's record of it. */
export interface DrillResponse {
  /** The containment plan, in the ground truth's terms. */
  readonly planned: readonly ContainmentKey[];
  /** Each planned action as run: done, already done, refused (the provider's reason), or not run. */
  readonly executed: readonly { readonly action: string; readonly status: string; readonly detail: string }[];
  /** The provider's log from the moment containment started: its own record of what was done. */
  readonly providerEvents: DrillObservation['providerEvents'];
}

export interface RespondOptions {
  readonly incident: Incident;
  readonly blast: BlastRadius;
  readonly clock: ManualClock;
  readonly actor: string;
  /** False: plan containment but never approve or run it (a broken response, for the score). */
  readonly runContainment: boolean;
  /** Reads the provider's log up to now (after the clock moved on). */
  readonly collectAfter: () => Promise<void>;
  readonly say: (line: string) => void;
}

/** Every event a reconciliation finding names (no approved ticket), and every matched one with its case. */
export function supportObserved(reconciliation: SupportReconciliation): DrillObservation['support'] {
  return {
    unmatched: [...new Set(reconciliation.findings.flatMap((f) => f.eventIds))],
    matched: reconciliation.matched.map((m) => ({ eventId: m.eventId, caseNumber: m.caseNumber })),
  };
}

/**
 * Plans containment from the blast radius, approves every action and runs it against the provider,
 * then reads the provider's log for its own record of what was done.
 */
export async function contain(runtime: Runtime, o: RespondOptions): Promise<DrillResponse> {
  const { incident } = o;
  const service = new ContainmentService(runtime);
  const { actions } = await service.plan(incident.id);
  const planned = actions.flatMap((s) => keyOf(s.action));
  o.say(`containment plan: ${actions.length} actions\n`);
  const startedMs = o.clock.now();
  const executed: DrillResponse['executed'][number][] = [];
  if (o.runContainment) {
    await service.approve(
      actions.map((s) => s.action.id),
      o.actor,
    );
    const run = await service.run(incident.id, { execute: true, by: o.actor });
    for (const step of run.steps)
      executed.push({ action: step.actionId, status: step.outcome, detail: step.detail });
    o.say(
      `containment run: ${executed.filter((e) => e.status === 'done').length} done, ${executed.filter((e) => e.status === 'refused').length} refused\n`,
    );
  } else o.say('containment: planned, never approved nor run\n');
  await o.collectAfter();
  const providerEvents = (
    await runtime.store.db
      .selectFrom('events')
      .select(['raw'])
      .where('source', '=', incident.source)
      .where('published_ms', '>=', startedMs)
      .orderBy('published_ms')
      .execute()
  ).flatMap((row) => {
    const e = parse(row.raw);
    return e ? [e] : [];
  });
  return { planned, executed, providerEvents };
}

/** An action of the plan in the ground truth's terms (a case's revocation has none: it names no case). */
function keyOf(a: ContainmentAction): ContainmentKey[] {
  switch (a.kind) {
    case 'revoke-support-case':
      return [];
    case 'revoke-support-access':
      return [{ kind: a.kind }];
    default:
      return [{ kind: a.kind, target: a.target.id }];
  }
}

/** The type, target ids and time of a stored event (hostile JSON: anything else is skipped). */
function parse(raw: string): DrillObservation['providerEvents'][number] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as { eventType?: unknown; published?: unknown; target?: unknown };
  if (typeof e.eventType !== 'string' || typeof e.published !== 'string') return undefined;
  const targets = Array.isArray(e.target)
    ? e.target.flatMap((t: unknown) =>
        typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string'
          ? [(t as { id: string }).id]
          : [],
      )
    : [];
  return { eventType: e.eventType, published: e.published, targets };
}
