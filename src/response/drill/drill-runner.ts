import { ManualClock } from '../../core/clock.js';
import { createRandom } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import { saveConfig, vigilConfigSchema, type VigilConfig } from '../../config/vigil-config.js';
import { LogCollector } from '../../custody/log-collector.js';
import type { Detection } from '../../detect/detection.js';
import { PostureService } from '../../posture/posture-service.js';
import { withRuntime, type Runtime } from '../../runtime/runtime.js';
import { SCENARIOS } from '../../sim/scenarios/registry.js';
import type { BreachTruth, ScenarioTruth } from '../../sim/scenarios/scenario.js';
import { startSimulator, type RunningSimulator } from '../../sim/simulator.js';
import type { Incident } from '../incident/incident.js';
import { IncidentStore } from '../incident/incident-store.js';
import { computeBlastRadius } from '../report/blast-radius.js';
import type { IncidentReport } from '../report/incident-report.js';
import { reconcileSupport, type SupportReconciliation } from '../support/reconcile.js';
import { contain, supportObserved, type DrillResponse } from './drill-response.js';
import { drillReport, writeDrillReport } from './drill-report.js';
import { scoreDrill, type DrillObservation, type DrillScore } from './drill-score.js';
import type { DrillErrorCode } from './errors.js';

const MINUTE = 60_000;
const SOURCE = 'okta';
/** Who the drill acts as in Vigil's audit log (incident opened, containment approved and run). */
export const DRILL_ACTOR = 'vigil-drill';

/** The scenarios a drill can run: those with a provider breach to respond to (`ScenarioTruth.breach`). */
export function drillScenarios(): string[] {
  return [...SCENARIOS.keys()].filter((name) => DRILLABLE.has(name));
}
/** Throws DRILL_UNKNOWN_SCENARIO unless `name` is a scenario a drill can run. */
export function checkDrillScenario(name: string): void {
  if (!DRILLABLE.has(name))
    throw new VigilError<DrillErrorCode>(
      'DRILL_UNKNOWN_SCENARIO',
      `no drill for scenario ${JSON.stringify(name.slice(0, 100))} (drills: ${drillScenarios().join(', ')})`,
      { category: 'input', details: { scenario: name.slice(0, 100) } },
    );
}

/**
 * A deliberately broken response: `containment` planned but never approved nor run; `report` with the
 * attack's last event left out of the report.
 */
export const DRILL_BREAKS = ['containment', 'report'] as const;
export type DrillBreak = (typeof DRILL_BREAKS)[number];

const DRILLABLE = new Set(['lapsus-2022', 'har-2023', 'cross-tenant-2023']);

export interface DrillOptions {
  readonly scenario: string;
  /** The data directory (created by the caller, empty); the caller removes it unless kept. */
  readonly dataDir: string;
  /** Where the simulated clock starts (ms); the attack begins a few minutes later. */
  readonly startMs: number;
  readonly seed?: number;
  readonly users?: number;
  /** Days of history before the attack. */
  readonly days?: number;
  /** Break the response on purpose, to see the score catch it (`vigil drill --break`). */
  readonly broken?: readonly DrillBreak[];
  /** Writes the report folder (evidence bundle, JSON, HTML) here, a new or empty folder. */
  readonly reportDir?: string;
  /** Stops the drill between polls and inside a collection (Ctrl-C); its data directory is still removed. */
  readonly signal?: AbortSignal;
  /** Where to say what the drill is doing. */
  readonly progress?: (line: string) => void;
}

export interface DrillResult {
  readonly scenario: string;
  readonly incident: Incident;
  readonly score: DrillScore;
  /** The incident's report after containment (its actions taken included), personal data raw. */
  readonly report: IncidentReport;
  /** The report's HTML file (tokens for personal data), when `reportDir` was given. */
  readonly reportHtml?: string;
  readonly reconciliation: SupportReconciliation;
  readonly response: DrillResponse;
  /** The attack's first event, and the first alert on it, on the drill's clock. */
  readonly attackStart: string;
  readonly firstAlert: string | null;
}

/**
 * Runs a scenario end to end against an in-process simulator on a simulated clock (issue 17,
 * "Drills"): the org's history is collected, then the attack happens a few minutes later while
 * Vigil polls the provider as `vigil collect` does (every `collect.pollIntervalSeconds`), so the
 * time to the first alert is what a collector would see. Once the attack is in, the incident is
 * opened from the provider's published window and indicators, the blast radius computed, support
 * actions reconciled, containment planned, approved and run against the simulator, the log read
 * again for the provider's own record of it, and the whole response scored against the scenario's
 * ground truth.
 */
export async function runDrill(o: DrillOptions): Promise<DrillResult> {
  checkDrillScenario(o.scenario);
  const say = o.progress ?? (() => undefined);
  const clock = new ManualClock(Math.floor(o.startMs / MINUTE) * MINUTE);
  const seed = o.seed ?? 1;
  const attackAt = clock.now() + 5 * MINUTE;
  say(`starting the Okta simulator (seed ${seed}); ${o.scenario} begins at ${iso(attackAt)}\n`);
  const sim = await startSimulator({
    seed,
    users: o.users ?? 60,
    days: o.days ?? 2,
    clock,
    scenarios: [{ name: o.scenario, at: attackAt }],
    control: true,
  });
  try {
    const truth = breachTruth(sim, o.scenario);
    const config = vigilConfigSchema.parse({
      sources: [{ name: SOURCE, type: 'okta', url: sim.baseUrl, tokenEnv: 'VIGIL_DRILL_TOKEN' }],
      collect: { rateShare: 1 },
    });
    saveConfig(o.dataDir, config);
    return await withRuntime(
      {
        dataDir: o.dataDir,
        access: 'write',
        bulk: true,
        helperThreads: true,
        collect: true,
        config,
        env: { VIGIL_DRILL_TOKEN: sim.token },
        clock,
      },
      (runtime) => drill(runtime, { ...o, sim, truth, clock, config, say, days: o.days ?? 2, attackAt }),
    );
  } finally {
    await sim.close();
  }
}

async function drill(
  runtime: Runtime,
  o: DrillOptions & {
    sim: RunningSimulator;
    truth: ScenarioTruth & { breach: BreachTruth };
    clock: ManualClock;
    config: VigilConfig;
    say: (line: string) => void;
    days: number;
    attackAt: number;
  },
): Promise<DrillResult> {
  const { clock, truth, say } = o;
  const attack = new Set(truth.attackEventIds);
  let firstAlertMs: number | null = null;
  const fired = new Set<string>();
  const detection = await runtime.detection((d: Detection) => {
    if (!d.eventIds.some((id) => attack.has(id))) return;
    fired.add(d.ruleId);
    firstAlertMs ??= clock.now();
  });
  await detection.feed.start(SOURCE);
  const [source] = runtime.logSources();
  let round = 0;
  const collect = async (sinceMs?: number) => {
    const result = await new LogCollector({
      source: source!,
      store: runtime.custody(),
      clock,
      random: createRandom(`drill:${round++}`),
      ...(sinceMs === undefined ? {} : { sinceMs }),
      ...(o.signal ? { signal: o.signal } : {}),
      preparer: runtime.preparer(),
      onStored: (events, firstLeaf) => detection.feed.stored(SOURCE, events, firstLeaf),
    }).collectUntilCaughtUp();
    await detection.feed.flush(SOURCE, clock.now());
    return result.stored;
  };

  const history = await collect(clock.now() - (o.days + 1) * 86_400_000);
  // The configuration as it was before the attack: what containment puts a changed policy rule back to.
  const snapshot = await new PostureService({ custody: runtime.custody(), clock }).snapshot(
    SOURCE,
    runtime.configReaders(SOURCE)[0]!,
  );
  say(`collected the org's history: ${history} events; configuration snapshot ${snapshot.id}\n`);

  // The attack, as `vigil collect` sees it: a poll every interval until every event of it is in
  // (the simulator's provider publishes within seconds), and one more.
  const interval = o.config.collect.pollIntervalSeconds * 1000;
  const limit = clock.now() + 2 * 86_400_000;
  let polls = 0;
  let stored: { provider_id: string; published_ms: number }[] = [];
  while (stored.length < attack.size && clock.now() < limit) {
    o.signal?.throwIfAborted();
    clock.advance(interval);
    await collect();
    polls++;
    stored = await runtime.store.db
      .selectFrom('events')
      .select(['provider_id', 'published_ms'])
      .where('source', '=', SOURCE)
      .where('provider_id', 'in', [...attack])
      .execute();
  }
  clock.advance(interval);
  await collect();
  const attackStartMs = stored.length ? Math.min(...stored.map((e) => Number(e.published_ms))) : o.attackAt;
  say(
    `polled ${polls} times during the attack; first alert ${firstAlertMs === null ? 'never' : `after ${duration(firstAlertMs - attackStartMs)}`}\n`,
  );

  const incidents = new IncidentStore(runtime.store.db, runtime.auditLog(), clock);
  const incident = await incidents.open(
    {
      name: `drill ${truth.scenario}`,
      source: SOURCE,
      from: truth.breach.publishedWindow.from,
      to: truth.breach.publishedWindow.to,
      scope: 'all',
      iocs: truth.breach.iocs,
    },
    DRILL_ACTOR,
  );
  say(
    `opened incident ${incident.id}: ${incident.from} to ${incident.to}, ${incident.iocs.length} indicator(s)\n`,
  );
  const reconciliation = await reconcileSupport(runtime, {
    source: incident.source,
    from: incident.from,
    to: incident.to,
    raiseAlerts: true,
  });
  say(
    `support reconciliation: ${reconciliation.actions.length} support actions, ${reconciliation.matched.length} matched to an approved ticket, ${reconciliation.findings.length} findings\n`,
  );
  let report = await drillReport(runtime, incident, reconciliation, DRILL_ACTOR);
  if (o.broken?.includes('report')) {
    // A deliberately broken report: it leaves out the attack's last event.
    const last = truth.attackEventIds.at(-1);
    report = { ...report, timeline: report.timeline.filter((e) => e.uuid !== last) };
  }
  say(
    `report: ${report.timeline.length} events cited with inclusion proofs, ${report.blastRadius.principals.length} people named\n`,
  );

  const blast = await computeBlastRadius(runtime, incident);
  const response = await contain(runtime, {
    incident,
    blast,
    clock,
    actor: DRILL_ACTOR,
    runContainment: !o.broken?.includes('containment'),
    // The provider's record of what containment did: read the log once it has published it.
    collectAfter: async () => {
      clock.advance(interval);
      await collect();
    },
    say,
  });
  // The report again, with the actions taken, for whoever reads it afterwards.
  const final = await drillReport(runtime, incident, reconciliation, DRILL_ACTOR);
  const reportHtml =
    o.reportDir === undefined ? undefined : await writeDrillReport(runtime, final, o.reportDir);

  const observation: DrillObservation = {
    attackStartMs,
    firstAlertMs,
    detectionsFired: [...fired].sort(),
    cited: report.timeline.map((e) => ({ uuid: e.uuid, why: e.why })),
    principalsNamed: report.blastRadius.principals.map((p) => p.id),
    support: supportObserved(reconciliation),
    planned: response.planned,
    providerEvents: response.providerEvents,
  };
  return {
    scenario: truth.scenario,
    incident,
    score: scoreDrill(truth, observation),
    report: final,
    ...(reportHtml === undefined ? {} : { reportHtml }),
    reconciliation,
    response,
    attackStart: iso(attackStartMs),
    firstAlert: firstAlertMs === null ? null : iso(firstAlertMs),
  };
}

function breachTruth(sim: RunningSimulator, scenario: string): ScenarioTruth & { breach: BreachTruth } {
  const truth = sim.scenarioTruth.find((t) => t.scenario === scenario);
  if (!truth?.breach)
    throw new VigilError<DrillErrorCode>(
      'DRILL_UNKNOWN_SCENARIO',
      `scenario ${scenario} has no provider-breach ground truth to drill against`,
      { category: 'input', details: { scenario } },
    );
  return { ...truth, breach: truth.breach };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `4m 10s`, `52s`, `1h 3m`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
