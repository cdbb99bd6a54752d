import type { ConfigChange } from './snapshot-diff.js';
import { familyOf, RESOURCE_FAMILIES } from './resource-families.js';

/** A System Log event that records a configuration change, as far as explaining one needs it. */
export interface LoggedChange {
  readonly uuid: string;
  readonly eventType: string;
  readonly publishedMs: number;
  readonly actor: string | null;
  readonly clientIp: string | null;
  readonly targetIds: readonly string[];
}

export type ExplainedChange = ConfigChange & {
  readonly family: string | null;
  /** Events that record this change; empty: no event does (a shadow change, once the log is complete). */
  readonly explainedBy: readonly LoggedChange[];
};

/** Every event type prefix some family's changes are recorded under (to fetch the window's events). */
export const CHANGE_EVENT_PREFIXES: readonly string[] = [
  ...new Set(RESOURCE_FAMILIES.flatMap((f) => f.eventTypes)),
];

/**
 * Matches each change between two snapshots with the events of the window between them that record
 * it: an event of one of the object's family's types whose targets name the object (its id, or for
 * a policy rule its policy), or for a singleton (ThreatInsight, support access) any event of its
 * family. An object of no known family is never explained: a change there is always a finding.
 */
export function explainChanges(
  changes: readonly ConfigChange[],
  events: readonly LoggedChange[],
): ExplainedChange[] {
  return changes.map((change) => {
    const found = familyOf(change.resource);
    if (!found) return { ...change, family: null, explainedBy: [] };
    const { family, ids } = found;
    const explainedBy = events.filter(
      (e) =>
        family.eventTypes.some((prefix) => e.eventType.startsWith(prefix)) &&
        (family.singleton === true || e.targetIds.some((id) => ids.includes(id))),
    );
    return { ...change, family: family.family, explainedBy };
  });
}

/** The fields of a stored System Log event that explaining needs; undefined for what is not an event. */
export function loggedChangeOf(raw: string, publishedMs: number): LoggedChange | undefined {
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (event === null || typeof event !== 'object') return undefined;
  const e = event as Record<string, unknown>;
  if (typeof e['uuid'] !== 'string' || typeof e['eventType'] !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const actor = e['actor'] as Record<string, unknown> | null | undefined;
  const client = e['client'] as Record<string, unknown> | null | undefined;
  const targets = Array.isArray(e['target']) ? (e['target'] as unknown[]) : [];
  return {
    uuid: e['uuid'],
    eventType: e['eventType'],
    publishedMs,
    actor: str(actor?.['alternateId']) ?? str(actor?.['id']),
    clientIp: str(client?.['ipAddress']),
    targetIds: targets
      .map((t) => (t !== null && typeof t === 'object' ? str((t as Record<string, unknown>)['id']) : null))
      .filter((id): id is string => id !== null),
  };
}
