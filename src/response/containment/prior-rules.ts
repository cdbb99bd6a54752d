import type { Kysely } from 'kysely';
import { ledgerLog } from '../../ledger/ledger-log.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { BlastRadius } from '../report/blast-radius.js';
import type { PriorRule } from './plan-containment.js';

/**
 * Each changed policy rule as the last posture snapshot before its first change in the window held
 * it (`<source>/config-snapshots`, docs/posture.md): what "revert to the last snapshot" puts back.
 * A rule no earlier snapshot holds (posture off, or the rule made in the window) has no prior state.
 */
export async function priorRulesOf(db: Kysely<VigilDatabase>, blast: BlastRadius): Promise<PriorRule> {
  const found = new Map<string, { snapshotId: string; rule: Record<string, unknown> }>();
  const firstChange = new Map<string, { policyId: string; at: string }>();
  const published = new Map(blast.events.map((e) => [e.uuid, e.published]));
  for (const c of blast.policyChanges) {
    if (c.ruleId === undefined) continue;
    const at = published.get(c.uuid);
    const seen = firstChange.get(c.ruleId);
    if (at !== undefined && (!seen || at < seen.at)) firstChange.set(c.ruleId, { policyId: c.policyId, at });
  }
  for (const [ruleId, { policyId, at }] of firstChange) {
    // Snapshot times are RFC 3339 UTC with milliseconds, as event times are: they compare as text.
    const row = await db
      .selectFrom('ledger_records')
      .select(['record_id', 'body'])
      .where('log', '=', ledgerLog(blast.incident.source, 'config-snapshots'))
      .where('time', '<', at)
      .orderBy('leaf_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) continue;
    let rule: unknown;
    try {
      rule = (JSON.parse(row.body) as { objects?: Record<string, unknown> }).objects?.[
        `/api/v1/policies/${policyId}/rules/${ruleId}`
      ];
    } catch {
      rule = undefined;
    }
    if (typeof rule === 'object' && rule !== null && !Array.isArray(rule))
      found.set(`${policyId}/${ruleId}`, {
        snapshotId: row.record_id,
        rule: rule as Record<string, unknown>,
      });
  }
  return (policyId, ruleId) => found.get(`${policyId}/${ruleId}`);
}
