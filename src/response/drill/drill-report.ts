import { formatVerifierKey } from '../../ledger/note-key.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Incident } from '../incident/incident.js';
import { buildIncidentReport, type IncidentReport } from '../report/incident-report.js';
import { writeReportFiles } from '../report/report-files.js';
import { tokenizeReport } from '../report/report-tokens.js';
import type { SupportReconciliation } from '../support/reconcile.js';

/** The version string a drill's report names as its tool. */
const TOOL = 'vigil drill';

/**
 * The incident's blast-radius report as `vigil incident report` builds it (response/report): every
 * cited event with its inclusion proof against the newest signed checkpoint, the support
 * reconciliation the drill ran, the alerts of the window and the actions ledgered so far.
 */
export async function drillReport(
  runtime: Runtime,
  incident: Incident,
  support: SupportReconciliation,
  generatedBy: string,
): Promise<IncidentReport> {
  const verifier = runtime.verifierKeys()(incident.source);
  return buildIncidentReport(incident, {
    db: runtime.store.db,
    hashes: runtime.custody().hashReader(incident.source),
    verifierKey: verifier ? formatVerifierKey(verifier) : null,
    nowMs: runtime.options.clock.now(),
    generatedBy,
    tool: TOOL,
    alerts: await runtime.alertStore().list(),
    supportReconciliation: { available: true, result: support },
  });
}

/**
 * Writes the report, personal data as tokens, as a report folder (evidence bundle, JSON, HTML,
 * SHA256SUMS) at `out`, a new or empty folder. Returns the HTML file's path.
 */
export async function writeDrillReport(
  runtime: Runtime,
  report: IncidentReport,
  out: string,
): Promise<string> {
  const source = report.header.incident.source;
  const verifier = runtime.verifierKeys()(source);
  if (!verifier) throw new TypeError(`drill report: no verifier key for ${source}`);
  await writeReportFiles(
    tokenizeReport(report, runtime.piiTokenizer()),
    { out },
    { db: runtime.store.db, hashes: runtime.custody().hashReader(source), verifier },
  );
  return `${out}/report.html`;
}
