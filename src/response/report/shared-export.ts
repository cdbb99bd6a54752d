import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventsById } from '../../custody/events-by-id.js';
import { exportEvidence } from '../../custody/evidence-export.js';
import { formatVerifierKey } from '../../ledger/note-key.js';
import type { PiiTokenizer } from '../../privacy/pii-tokenizer.js';
import type { Runtime } from '../../runtime/runtime.js';
import { incidentStore } from '../incident/incident-store.js';
import { reconcileSupport } from '../support/reconcile.js';
import { buildIncidentReport, type Artifact } from './incident-report.js';
import { checkEmptyFolder, listFiles, unwritable } from './report-files.js';
import { reportHtml } from './report-html.js';
import { tokenizeReport } from './report-tokens.js';

export interface SharedExportResult {
  readonly out: string;
  readonly events: number;
  /** Where the token map was written: in the data directory, never in the export. */
  readonly tokenMap: string;
  readonly tokens: number;
  readonly artifacts: readonly Artifact[];
}

const TOKEN = /\b(?:user|name|ip|phone):[0-9a-f]{16}\b/g;
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * `vigil incident export ID --share --out DIR` (issue 17): what an auditor, or the provider, may
 * receive. The timeline (every cited event, whole, personal data as tokens), the report (HTML and
 * JSON, tokenised) and the evidence: each cited event's leaf and inclusion proof against the signed
 * checkpoint, the events themselves withheld (`vigil verify-bundle` checks the leaves). The map from
 * token to value stays in the data directory (`shares/`, owner-only): the team can answer "who is
 * user:7f3a…" and nobody holding only the export can. The export is recorded in the audit log.
 */
export async function exportShared(
  runtime: Runtime,
  request: { incidentId: string; out: string; actor: string; tool: string },
): Promise<SharedExportResult> {
  const { out } = request;
  checkEmptyFolder(out);
  const incident = await incidentStore(runtime).get(request.incidentId);
  const verifier = runtime.verifierKeys()(incident.source);
  if (!verifier)
    throw unwritable(
      out,
      `no verifier key for ${incident.source}: nothing can be proven yet (run vigil collect)`,
    );
  const tokenizer = runtime.piiTokenizer();
  const db = runtime.store.db;
  const hashes = runtime.custody().hashReader(incident.source);
  const raw = await buildIncidentReport(incident, {
    db,
    hashes,
    verifierKey: formatVerifierKey(verifier),
    nowMs: runtime.options.clock.now(),
    generatedBy: request.actor,
    tool: request.tool,
    alerts: await runtime.alertStore().list({ limit: 100_000 }),
    supportReconciliation: {
      available: true,
      result: await reconcileSupport(runtime, {
        source: incident.source,
        from: incident.from,
        to: incident.to,
      }),
    },
  });
  const report = tokenizeReport(raw, tokenizer);
  const ids = raw.timeline.map((e) => e.uuid);
  const stored = await eventsById(db, ids, incident.source);
  const rawEvents = stored.map((e) => JSON.parse(e.raw) as unknown);

  mkdirSync(out, { recursive: true, mode: 0o700 });
  await exportEvidence(db, hashes, verifier, {
    log: incident.source,
    out: path.join(out, 'evidence'),
    eventIds: ids,
    withholdEvents: true,
  });
  const files: [string, string][] = [
    ['timeline.jsonl', rawEvents.map((e) => JSON.stringify(tokenizer.tokenizeEvent(e)) + '\n').join('')],
    ['report.json', JSON.stringify(report, null, 2) + '\n'],
    ['report.html', reportHtml(report)],
    ['README.md', shareReadme(report.header.verifierKey ?? '<the ledger key>', incident.id, ids.length)],
  ];
  for (const [name, text] of files) writeFileSync(path.join(out, name), text, { mode: 0o600, flag: 'wx' });
  const artifacts = listFiles(out).map((name) => {
    const bytes = readFileSync(path.join(out, name));
    return { name, sha256: sha256(bytes), bytes: bytes.length };
  });
  writeFileSync(path.join(out, 'SHA256SUMS'), artifacts.map((a) => `${a.sha256}  ${a.name}\n`).join(''), {
    mode: 0o600,
    flag: 'wx',
  });

  // Every token in what was written, with the value it stands for, from the data it was made from.
  const shared = files.map(([, text]) => text).join('\n');
  const map = tokenMap(tokenizer, shared, [rawEvents, raw]);
  const dir = path.join(runtime.dataDir, 'shares');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date(runtime.options.clock.now()).toISOString().replace(/[:.]/g, '-');
  const tokenFile = path.join(dir, `${incident.id}-${stamp}.token-map.json`);
  writeFileSync(tokenFile, JSON.stringify({ incident: incident.id, out, tokens: map }, null, 2) + '\n', {
    mode: 0o600,
    flag: 'wx',
  });
  await runtime.auditLog().record({
    actor: request.actor,
    action: 'incident.export',
    target: incident.id,
    details: {
      reportId: report.header.reportId,
      out,
      tokenMap: tokenFile,
      artifacts: artifacts.map((a) => ({ name: a.name, sha256: a.sha256 })),
    },
  });
  return { out, events: ids.length, tokenMap: tokenFile, tokens: Object.keys(map).length, artifacts };
}

function tokenMap(
  tokenizer: PiiTokenizer,
  text: string,
  sources: readonly unknown[],
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const token of new Set(text.match(TOKEN) ?? [])) {
    for (const source of sources) {
      const value = tokenizer.reveal(source, token);
      if (value !== undefined) {
        map[token] = value;
        break;
      }
    }
  }
  return map;
}

function shareReadme(key: string, incidentId: string, events: number): string {
  return `# Shared export of incident ${incidentId}

Personal data (logins, emails, names, IP addresses, phone numbers) is shown as tokens: \`user:\`,
\`name:\`, \`ip:\` or \`phone:\` and 16 hex digits. The same person is the same token throughout. Only the team that made the
export holds the map from token to value; ask them to reveal one when you need it.

- \`timeline.jsonl\`: the ${events} events the report cites, whole, tokenised, one a line.
- \`report.html\`, \`report.json\`: the blast-radius report, tokenised.
- \`evidence/\`: for each cited event, its ledger leaf (event id, SHA-256 of its exact bytes, published
  time; no personal data) and an RFC 9162 inclusion proof against the signed checkpoint. The events
  themselves are withheld (\`EVENTS-WITHHELD.txt\`): the leaves prove which events the ledger held and
  their digests; the team can hand over any event, and its bytes must hash to the leaf's digest.
- \`SHA256SUMS\`: the digest of every file above.

Check it (no Vigil store needed; take the key from where you recorded it, not from this folder):

    vigil verify-bundle --vkey '${key}' evidence
    sha256sum -c SHA256SUMS

Without Vigil, see evidence/README.md (Go's sumdb note and tlog packages check the same proofs).
`;
}
