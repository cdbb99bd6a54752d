import { formatVerifierKey } from '../../ledger/note-key.js';
import type { Runtime } from '../../runtime/runtime.js';
import { VigilError } from '../../core/vigil-error.js';
import { incidentStore } from '../incident/incident-store.js';
import { notifySecurityContact, type ContactDelivery } from '../incident/security-contact.js';
import type { ReportErrorCode } from './errors.js';
import { buildIncidentReport, type Artifact, type IncidentReport } from './incident-report.js';
import { writeReportFiles, type ReportFileRequest } from './report-files.js';
import { tokenizeReport } from './report-tokens.js';
import { reconcileSupport } from '../support/reconcile.js';
import type { SupportReconciliation } from './support-section.js';

export interface ReportRequest {
  readonly incidentId: string;
  /** Who asks (`cli:<user>`): the audit log names them. */
  readonly actor: string;
  /** `vigil <version>`. */
  readonly tool: string;
  /** Show personal data: only with a reason, and recorded in the audit log (`report.reveal`) first. */
  readonly reveal?: { readonly reason: string };
  readonly files?: ReportFileRequest;
  /** The support-ticket reconciliation to include; absent: run now over the incident's window. */
  readonly supportReconciliation?: SupportReconciliation;
}

export interface ReportResult {
  readonly report: IncidentReport;
  readonly artifacts: readonly Artifact[];
  readonly notified: readonly ContactDelivery[];
}

/**
 * Generates an incident's report: the model from the store, tokenised unless revealed, the files,
 * then the generation (who, when, the digest of every file) in the audit log, then the security
 * contact told it is ready. A reveal is recorded before any personal data is produced.
 */
export async function generateReport(runtime: Runtime, request: ReportRequest): Promise<ReportResult> {
  if (request.reveal && request.reveal.reason.trim() === '')
    throw new VigilError<ReportErrorCode>(
      'REPORT_BAD_REQUEST',
      '--reveal needs --reason: why personal data is shown',
      {
        category: 'input',
      },
    );
  const incident = await incidentStore(runtime).get(request.incidentId);
  const verifier = runtime.verifierKeys()(incident.source);
  const audit = runtime.auditLog();
  // The tokenizer first: a missing key fails before anything is produced.
  const tokenizer = request.reveal ? undefined : runtime.piiTokenizer();
  const raw = await buildIncidentReport(incident, {
    db: runtime.store.db,
    hashes: runtime.custody().hashReader(incident.source),
    verifierKey: verifier ? formatVerifierKey(verifier) : null,
    nowMs: runtime.options.clock.now(),
    generatedBy: request.actor,
    tool: request.tool,
    alerts: await runtime.alertStore().list({ limit: 100_000 }),
    supportReconciliation: request.supportReconciliation ?? {
      available: true,
      result: await reconcileSupport(runtime, {
        source: incident.source,
        from: incident.from,
        to: incident.to,
      }),
    },
  });
  if (request.reveal)
    await audit.record({
      actor: request.actor,
      action: 'report.reveal',
      target: incident.id,
      reason: request.reveal.reason,
      details: { reportId: raw.header.reportId, events: raw.timeline.length },
    });
  const shown = tokenizer ? tokenizeReport(raw, tokenizer) : raw;
  if (request.files?.out !== undefined && !verifier)
    throw new VigilError<ReportErrorCode>(
      'REPORT_BAD_REQUEST',
      `no verifier key for ${incident.source}: the store has signed nothing to prove the report with yet (run vigil collect)`,
      { category: 'input' },
    );
  const { report, artifacts } =
    request.files && (request.files.out ?? request.files.html ?? request.files.pdf) !== undefined
      ? await writeReportFiles(shown, request.files, {
          db: runtime.store.db,
          hashes: runtime.custody().hashReader(incident.source),
          verifier: verifier!,
        })
      : { report: shown, artifacts: [] as Artifact[] };
  await audit.record({
    actor: request.actor,
    action: 'report.generate',
    target: incident.id,
    details: {
      reportId: report.header.reportId,
      revealed: report.header.revealed,
      events: report.timeline.length,
      checkpoint: report.evidence.checkpoint.treeSize,
      artifacts: artifacts.map((a) => ({ name: a.name, sha256: a.sha256 })),
    },
  });
  const sums = artifacts.find((a) => a.name === 'SHA256SUMS') ?? artifacts[0];
  const notified = await notifySecurityContact(runtime, {
    kind: 'report-ready',
    incident,
    reportId: report.header.reportId,
    counts: {
      events: report.timeline.length,
      principals: report.blastRadius.principals.length,
      admins: report.blastRadius.principals.filter((p) => p.admin).length,
      gaps: report.evidence.gaps.length,
    },
    ...(sums ? { digest: sums.sha256 } : {}),
  });
  return { report, artifacts, notified };
}
