import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { IncidentStore } from '../response/incident/incident-store.js';
import { drillReport, writeDrillReport } from '../response/drill/drill-report.js';
import { reconcileSupport } from '../response/support/reconcile.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ScenarioTruth } from '../sim/scenarios/scenario.js';

/** The demo's incident: the lapsus-2022 breach as its provider announced it, and Vigil's report of it. */
export interface IncidentReportSummary {
  readonly scenario: string;
  readonly incident: string;
  readonly from: string;
  readonly to: string;
  readonly indicators: number;
  /** Events the report cites (each with an inclusion proof), and how many of the attack's are among them. */
  readonly cited: number;
  readonly attackCited: number;
  readonly attackEvents: number;
  /** The people the report names, as tokens (personal data is never shown raw by the demo). */
  readonly principals: readonly {
    readonly user: string;
    readonly admin: boolean;
    readonly events: number;
    readonly recommended: readonly string[];
  }[];
  readonly support: {
    readonly actions: number;
    readonly matched: number;
    readonly findings: readonly { readonly kind: string; readonly events: number }[];
  };
  readonly timeline: readonly {
    readonly published: string;
    readonly eventType: string;
    readonly actor: string;
    readonly why: readonly string[];
  }[];
  /** The report folder's HTML (evidence bundle, JSON and SHA256SUMS beside it). */
  readonly report: string;
}

/** Who the demo acts as in Vigil's audit log. */
const DEMO_ACTOR = 'vigil-demo';

/**
 * Opens the incident a customer would have opened from the provider's announcement (the scenario's
 * published window and indicators), reconciles support actions against approved tickets (the demo
 * org has none), builds the blast-radius report and writes it under `dataDir`.
 */
export async function runIncidentReportDrill(o: {
  readonly runtime: Runtime;
  readonly truth: ScenarioTruth;
  readonly clock: Clock;
  readonly source: string;
  readonly dataDir: string;
}): Promise<IncidentReportSummary> {
  const { runtime, truth } = o;
  const breach = truth.breach;
  if (!breach) throw new TypeError(`demo: scenario ${truth.scenario} has no breach ground truth`);
  const incident = await new IncidentStore(runtime.store.db, runtime.auditLog(), o.clock).open(
    {
      name: `${truth.scenario} (provider breach)`,
      source: o.source,
      from: breach.publishedWindow.from,
      to: breach.publishedWindow.to,
      scope: 'all',
      iocs: breach.iocs,
    },
    DEMO_ACTOR,
  );
  const reconciliation = await reconcileSupport(runtime, {
    source: o.source,
    from: incident.from,
    to: incident.to,
  });
  const report = await drillReport(runtime, incident, reconciliation, DEMO_ACTOR);
  const html = await writeDrillReport(runtime, report, path.join(o.dataDir, `${truth.scenario}-report`));
  const tokens = runtime.piiTokenizer();
  const attack = new Set(truth.attackEventIds);
  const kinds = new Map<string, number>();
  for (const f of reconciliation.findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + f.eventIds.length);
  return {
    scenario: truth.scenario,
    incident: incident.id,
    from: incident.from,
    to: incident.to,
    indicators: incident.iocs.length,
    cited: report.timeline.length,
    attackCited: report.timeline.filter((e) => attack.has(e.uuid)).length,
    attackEvents: attack.size,
    principals: report.blastRadius.principals.map((p) => ({
      user: p.login === null ? p.id : tokens.token('user', p.login),
      admin: p.admin,
      events: p.happened.length,
      recommended: [...p.recommended],
    })),
    support: {
      actions: reconciliation.actions.length,
      matched: reconciliation.matched.length,
      findings: [...kinds].map(([kind, events]) => ({ kind, events })),
    },
    timeline: report.timeline.map((e) => ({
      published: e.published,
      eventType: e.eventType,
      actor:
        e.actor.type === 'User' && e.actor.login !== null
          ? tokens.token('user', e.actor.login)
          : (e.actor.login ?? e.actor.id),
      why: e.why.map((w) => tokens.tokenizeText(w)),
    })),
    report: html,
  };
}
