import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { groupAlerts } from '../../alerts/alert-grouping.js';
import { alertStoryKeys } from '../../alerts/alert-story-keys.js';
import type { Alert } from '../../alerts/alert.js';
import { recordReads } from '../../custody/record-reads.js';
import type { HashReader } from '../../ledger/hash-reader.js';
import { inclusionProof } from '../../ledger/proofs.js';
import { ledgerReads } from '../../custody/ledger-reads.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { Incident } from '../incident/incident.js';
import { blastRadiusFromStore, type BlastRadius, type CitedEvent } from './blast-radius.js';
import { evidenceBasis, type EvidenceBasis } from './evidence-basis.js';
import type { SupportReconciliation } from './support-section.js';

/** A cited event with its place in the ledger and its inclusion proof against the evidence checkpoint. */
export interface ProvenEvent extends CitedEvent {
  readonly leafIndex: number;
  /** RFC 9162 inclusion proof hashes, standard base64, against `evidence.checkpoint`. */
  readonly proof: readonly string[];
}

export interface ReportAlert {
  readonly id: string;
  readonly rule: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly firstSeen: string;
  readonly events: readonly string[];
}

export interface ReportStory {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly sharedKeys: readonly string[];
  readonly alerts: readonly ReportAlert[];
}

/** A containment action ledgered in `<source>/actions` (H4's containment), as stored. */
export interface ReportAction {
  readonly id: string;
  readonly time: string;
  readonly leafIndex: number;
  /** The record's JSON body. */
  readonly record: unknown;
}

/** One file the report ships and its digest (chain of custody). */
export interface Artifact {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * The blast-radius report of an incident (issue 17; posture-ecosystem.md §5 "Derived skeleton"):
 * header, evidence basis, timeline, blast radius, support-ticket reconciliation, alerts, actions
 * taken, chain of custody. One model, rendered as JSON, HTML and PDF. Personal data is raw here;
 * `tokenizeReport` makes the shareable view.
 */
export interface IncidentReport {
  readonly v: 1;
  readonly header: {
    readonly reportId: string;
    readonly incident: Incident;
    readonly generatedAt: string;
    readonly generatedBy: string;
    readonly tool: string;
    /** The events log's verifier key (C2SP/Go form): pin it when checking the bundle. */
    readonly verifierKey: string | null;
    /** Personal data shown as tokens (false) or revealed (true, recorded in the audit log). */
    readonly revealed: boolean;
  };
  readonly evidence: EvidenceBasis;
  readonly timeline: readonly ProvenEvent[];
  readonly blastRadius: Omit<BlastRadius, 'incident' | 'events'>;
  readonly supportReconciliation: SupportReconciliation;
  readonly alerts: { readonly total: number; readonly stories: readonly ReportStory[] };
  readonly actions: readonly ReportAction[];
  readonly custody: {
    readonly generatedBy: string;
    readonly generatedAt: string;
    /** The evidence bundle's files, when the report is written with one (`--out`). */
    readonly artifacts: readonly Artifact[];
    /** How to check it, with no Vigil store. */
    readonly verify: readonly string[];
  };
}

export interface ReportInputs {
  readonly db: Kysely<VigilDatabase>;
  readonly hashes: HashReader;
  readonly verifierKey: string | null;
  readonly nowMs: number;
  readonly generatedBy: string;
  readonly tool: string;
  /** The stored alerts to look through (the report keeps those of the source seen in the window). */
  readonly alerts: readonly Alert[];
  readonly supportReconciliation: SupportReconciliation;
  readonly reportId?: string;
}

/** Builds the report of `incident` from the store: a pure read, nothing written. */
export async function buildIncidentReport(incident: Incident, inputs: ReportInputs): Promise<IncidentReport> {
  const { db } = inputs;
  const radius = await blastRadiusFromStore(db, incident);
  const evidence = await evidenceBasis(db, incident);
  const timeline = await proveEvents(
    db,
    inputs.hashes,
    incident.source,
    evidence.checkpoint.treeSize,
    radius.events,
  );
  const generatedAt = new Date(inputs.nowMs).toISOString();
  const { incident: _incident, events: _events, ...rest } = radius;
  return {
    v: 1,
    header: {
      reportId: inputs.reportId ?? randomUUID(),
      incident,
      generatedAt,
      generatedBy: inputs.generatedBy,
      tool: inputs.tool,
      verifierKey: inputs.verifierKey,
      revealed: true,
    },
    evidence,
    timeline,
    blastRadius: rest,
    supportReconciliation: inputs.supportReconciliation,
    alerts: await alertsInWindow(db, incident, inputs.alerts),
    actions: await actionsSince(db, incident),
    custody: {
      generatedBy: inputs.generatedBy,
      generatedAt,
      artifacts: [],
      verify: [
        `vigil verify-bundle --vkey '${inputs.verifierKey ?? '<the ledger key you recorded>'}' evidence`,
        'sha256sum -c SHA256SUMS',
      ],
    },
  };
}

/** Each cited event's leaf and inclusion proof against the checkpoint of size `treeSize`. */
async function proveEvents(
  db: Kysely<VigilDatabase>,
  hashes: HashReader,
  log: string,
  treeSize: number,
  events: readonly CitedEvent[],
): Promise<ProvenEvent[]> {
  const rows = await ledgerReads(db).eventsWithLeavesById(
    log,
    treeSize,
    events.map((e) => e.uuid),
  );
  const leafOf = new Map<string, number>();
  for (const row of rows) {
    const id = (JSON.parse(row.leaf.toString('utf8')) as { eventId?: unknown }).eventId;
    if (typeof id === 'string') leafOf.set(id, row.index);
  }
  const proven: ProvenEvent[] = [];
  for (const event of events) {
    const leafIndex = leafOf.get(event.uuid);
    // An event stored after the newest checkpoint is not yet provable: it is left out of the
    // timeline rather than cited without proof (the evidence basis names the gap).
    if (leafIndex === undefined) continue;
    const proof = await inclusionProof(leafIndex, treeSize, hashes);
    proven.push({ ...event, leafIndex, proof: proof.map((h) => h.toString('base64')) });
  }
  return proven;
}

async function alertsInWindow(
  db: Kysely<VigilDatabase>,
  incident: Incident,
  all: readonly Alert[],
): Promise<IncidentReport['alerts']> {
  const fromMs = Date.parse(incident.from);
  const toMs = Date.parse(incident.to);
  const alerts = all.filter(
    (a) =>
      (a.source === undefined || a.source === incident.source) &&
      a.lastSeenMs >= fromMs &&
      a.firstSeenMs < toMs,
  );
  const keysOf = await alertStoryKeys(db, alerts);
  const stories = groupAlerts(alerts, {
    keysOf,
    incidents: [{ id: incident.id, source: incident.source, fromMs, toMs }],
  });
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    total: alerts.length,
    stories: stories.map((s) => ({
      id: s.id,
      title: s.title,
      severity: s.severity,
      firstSeen: iso(s.firstSeenMs),
      lastSeen: iso(s.lastSeenMs),
      sharedKeys: s.sharedKeys,
      alerts: s.alerts.map((a) => ({
        id: a.id,
        rule: a.ruleId,
        title: a.title,
        severity: a.severity,
        status: a.status,
        firstSeen: iso(a.firstSeenMs),
        events: a.eventIds,
      })),
    })),
  };
}

/** Containment actions ledgered for the source since the window opened (H4 writes `<source>/actions`). */
async function actionsSince(db: Kysely<VigilDatabase>, incident: Incident): Promise<ReportAction[]> {
  const reads = recordReads(db);
  const actions: ReportAction[] = [];
  let after = -1;
  for (;;) {
    const page = await reads.list(incident.source, 'actions', { after, limit: 1000 });
    for (const r of page) {
      if (r.time < incident.from) continue;
      let record: unknown;
      try {
        record = JSON.parse(r.body);
      } catch {
        record = r.body;
      }
      actions.push({ id: r.id, time: r.time, leafIndex: r.leafIndex, record });
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.leafIndex;
  }
  return actions;
}
