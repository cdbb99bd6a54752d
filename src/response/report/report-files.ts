import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { VigilError } from '../../core/vigil-error.js';
import { exportEvidence } from '../../custody/evidence-export.js';
import type { HashReader } from '../../ledger/hash-reader.js';
import type { NoteVerifier } from '../../ledger/note-key.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { ReportErrorCode } from './errors.js';
import type { Artifact, IncidentReport } from './incident-report.js';
import { renderPdf } from './pdf.js';
import { reportHtml } from './report-html.js';

export interface ReportFileRequest {
  /** A new or empty folder: evidence bundle, report.json, report.html, report.pdf, SHA256SUMS. */
  readonly out?: string;
  readonly html?: string;
  readonly pdf?: string;
  readonly chromium?: string;
}

export interface EvidenceSource {
  readonly db: Kysely<VigilDatabase>;
  readonly hashes: HashReader;
  readonly verifier: NoteVerifier;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The report's output cannot be written where it was asked for, and why. */
export const unwritable = (target: string, why: string, cause?: unknown) =>
  new VigilError<ReportErrorCode>('REPORT_OUT_UNWRITABLE', `cannot write ${target}: ${why}`, {
    category: 'input',
    details: { target },
    ...(cause === undefined ? {} : { cause }),
  });

/** Writes a file that must not exist yet, owner-only; never through a symlink or over a file. */
function writeNew(file: string, bytes: Buffer | string): Artifact {
  try {
    writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unwritable(file, code === 'EEXIST' ? 'it exists already' : String(code ?? error), error);
  }
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return { name: path.basename(file), sha256: sha256(buffer), bytes: buffer.length };
}

/**
 * Writes the report where asked. With `out`, the folder is a report bundle: `evidence/` (an
 * evidence bundle of exactly the cited events, which `vigil verify-bundle` checks offline; it holds
 * the events verbatim, personal data included, so the folder is owner-only), the report as JSON,
 * HTML and (if asked) PDF, and `SHA256SUMS` over every file. Returns each file written with its
 * digest, for the audit log's record of the report.
 */
export async function writeReportFiles(
  report: IncidentReport,
  request: ReportFileRequest,
  evidence: EvidenceSource,
): Promise<{ report: IncidentReport; artifacts: Artifact[] }> {
  const artifacts: Artifact[] = [];
  let final = report;
  if (request.out !== undefined) {
    const out = request.out;
    checkEmptyFolder(out);
    mkdirSync(out, { recursive: true, mode: 0o700 });
    const bundle = path.join(out, 'evidence');
    try {
      await exportEvidence(evidence.db, evidence.hashes, evidence.verifier, {
        log: report.header.incident.source,
        out: bundle,
        eventIds: report.timeline.map((e) => e.uuid),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error;
      throw unwritable(bundle, code, error);
    }
    const bundleFiles = listFiles(bundle).map((rel) => {
      const bytes = readFileSync(path.join(bundle, rel));
      return { name: `evidence/${rel}`, sha256: sha256(bytes), bytes: bytes.length };
    });
    final = { ...report, custody: { ...report.custody, artifacts: bundleFiles } };
    artifacts.push(...bundleFiles);
    const html = reportHtml(final);
    artifacts.push(
      {
        ...writeNew(path.join(out, 'report.json'), JSON.stringify(final, null, 2) + '\n'),
        name: 'report.json',
      },
      { ...writeNew(path.join(out, 'report.html'), html), name: 'report.html' },
    );
    const sums = artifacts.map((a) => `${a.sha256}  ${a.name}\n`).join('');
    artifacts.push({ ...writeNew(path.join(out, 'SHA256SUMS'), sums), name: 'SHA256SUMS' });
  }
  const html = reportHtml(final);
  if (request.html !== undefined) artifacts.push({ ...writeNew(request.html, html), name: request.html });
  if (request.pdf !== undefined) {
    const pdf = await renderPdf(html, request.chromium);
    artifacts.push({ ...writeNew(request.pdf, pdf), name: request.pdf });
  }
  return { report: final, artifacts };
}

/** `out` must be a new folder or an empty one: never a file, a symlink or a folder with anything in it. */
export function checkEmptyFolder(out: string): void {
  let info;
  try {
    info = lstatSync(out);
  } catch {
    return;
  }
  if (!info.isDirectory())
    throw unwritable(out, info.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a folder');
  if (readdirSync(out).length > 0) throw unwritable(out, 'the folder is not empty');
}

/** Every file below `dir`, by its path from `dir`, in name order (what SHA256SUMS lists). */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}
