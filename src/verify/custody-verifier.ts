import { isVigilError, VigilError } from '../core/vigil-error.js';
import { parseCheckpoint } from '../ledger/checkpoint.js';
import { HASH_SIZE } from '../ledger/merkle-hash.js';
import type { NoteVerifier } from '../ledger/note-key.js';
import type { HashReader } from '../ledger/hash-reader.js';
import { consistencyProof } from '../ledger/proofs.js';
import { verifyConsistency } from '../ledger/proof-verification.js';
import { openCheckpoint } from '../ledger/signed-checkpoint.js';
import {
  appendSubtree,
  EMPTY_FRONTIER,
  frontierRoot,
  type Frontier,
  type StoredNode,
} from '../ledger/tree-frontier.js';
import { parseLedgerLog } from '../ledger/ledger-log.js';
import type { CustodyReader, LogHead, StoredCheckpoint } from './custody-reader.js';
import type { VerifyErrorCode } from './errors.js';
import { checkAgainstCheckpoint, checkpointOrigin, type VerifiedLog } from './external-checkpoint.js';
import { nodeFinding } from './leaf-check.js';
import {
  MAX_FINDINGS_PER_SOURCE,
  type Finding,
  type SourceSummary,
  type VerificationReport,
} from './verification-report.js';

export interface VerifyOptions {
  /** The log key of each source's ledger (its name is the origin). */
  verifierFor(source: string): NoteVerifier | undefined;
  /**
   * Also re-canonicalize every event and compare it with the leaf's `eventSha256`. Without it, an
   * event under a version 2 leaf is checked byte for byte against `rawSha256` (which already catches
   * any change to a stored byte, and needs no parsing); version 1 leaves are always checked deeply.
   */
  deep?: boolean;
  /** Called with the number of leaves checked so far, for a progress display. */
  onProgress?(source: string, leavesChecked: number): void;
  /**
   * The configured sources, each with its page format (`vigil.yaml`). Each must have a ledger with
   * leaves, and each events log's query columns are re-derived with its source's format; an events
   * log with events that no configured source names fails, since nothing says how to re-derive them.
   * Without it (callers that only check the ledger) no column is checked.
   */
  sources?: readonly ConfiguredSource[];
  /**
   * Checkpoints kept outside the store (`--checkpoint FILE`, the rollback memory): each log named
   * by a checkpoint's origin must extend it (external-checkpoint.ts).
   */
  external?: readonly ExternalCheckpoint[];
}

export interface ConfiguredSource {
  readonly name: string;
  /** The name of its page format (sources/page-formats.ts). */
  readonly format: string;
}

export interface ExternalCheckpoint {
  /** The signed note, verbatim. */
  readonly note: string;
  /** Where it came from, for findings: a file, "the rollback memory <file>". */
  readonly from: string;
}

/** Stored nodes above the ranges' own levels are read back and compared this many at a time. */
const BATCH = 1024;

/**
 * `vigil verify` (issue 4): every stored event against its leaf, every leaf into the tree, every
 * stored node against the tree recomputed from the leaves, the tree against every stored checkpoint,
 * every signature, consistency between consecutive checkpoints, no gaps in leaf indices; and (issue
 * 14) every query column re-derived from its event, the log's head in agreement with itself
 * (`checkHead`), and the tree extending every checkpoint kept elsewhere. Fails closed: an empty store
 * or a configured source with no leaves is a finding, never an OK.
 * One streaming pass per source; memory stays bounded by the batch size.
 */
export async function verifyCustody(
  reader: CustodyReader,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const findings: Finding[] = [];
  const summaries: SourceSummary[] = [];
  let truncated = 0;
  const external = groupByLog(options.external ?? []);
  const sources = new Set([
    ...(await reader.sources()),
    ...(options.sources ?? []).map((s) => s.name),
    ...external.keys(),
  ]);
  for (const source of [...sources].sort()) {
    const sink = new FindingSink(source);
    summaries.push(await verifySource(reader, source, options, external.get(source) ?? [], sink));
    findings.push(...sink.findings);
    truncated += sink.dropped;
  }
  // Nothing to check is no proof of anything (a deleted store reopened empty looks just like this).
  if (sources.size === 0)
    findings.push({
      code: 'NOTHING_VERIFIED',
      source: '-',
      message: 'the store holds no log and no source is configured: there is nothing to verify',
    });
  return { ok: findings.length === 0 && truncated === 0, sources: summaries, findings, truncated };
}

class FindingSink {
  readonly findings: Finding[] = [];
  dropped = 0;
  constructor(readonly source: string) {}
  add(finding: Omit<Finding, 'source'>): void {
    if (this.findings.length >= MAX_FINDINGS_PER_SOURCE) this.dropped++;
    else this.findings.push({ source: this.source, ...finding });
  }
}

/** External checkpoints by the log their origin names (`<instance>/<log>`, ledger-log.ts). */
function groupByLog(external: readonly ExternalCheckpoint[]): Map<string, ExternalCheckpoint[]> {
  const byLog = new Map<string, ExternalCheckpoint[]>();
  for (const cp of external) {
    const origin = checkpointOrigin(cp.note);
    const slash = origin?.indexOf('/') ?? -1;
    if (origin === undefined || slash < 0)
      throw new VigilError<VerifyErrorCode>(
        'VERIFY_CHECKPOINT_INVALID',
        `${cp.from} does not hold a Vigil checkpoint: its first line must be an origin <instance>/<log>`,
        {
          category: 'input',
          details: { from: cp.from },
        },
      );
    const log = origin.slice(slash + 1);
    byLog.set(log, [...(byLog.get(log) ?? []), cp]);
  }
  return byLog;
}

async function verifySource(
  reader: CustodyReader,
  source: string,
  options: VerifyOptions,
  external: readonly ExternalCheckpoint[],
  sink: FindingSink,
): Promise<SourceSummary> {
  const head = await reader.head(source);
  const { checkpoints } = head;
  const configured = options.sources?.find((s) => s.name === source);
  const eventsLog = parseLedgerLog(source)?.kind === 'events';
  // A log with no checkpoint needs no key (a configured source not collected yet has none).
  const verifier = checkpoints.length > 0 ? options.verifierFor(source) : undefined;
  const opened = openCheckpoints(checkpoints, verifier, source, sink);
  const pendingRoots = [...opened].sort((a, b) => a.size - b.size);
  const hashes = reader.hashReader(source);

  let frontier: Frontier = EMPTY_FRONTIER;
  let eventCount = 0;
  // Nodes of a range's own levels were checked with it (leaf-check.ts); those above are compared
  // with the stored ones here, a batch at a time.
  let unchecked: StoredNode[] = [];
  const compareUnchecked = async (atLeast: number) => {
    if (unchecked.length < atLeast) return;
    await compareNodes(unchecked, hashes, sink);
    unchecked = [];
  };
  const checkDueRoots = () => {
    while (pendingRoots[0] && pendingRoots[0].size === frontier.size) {
      checkRoot(pendingRoots.shift()!, frontierRoot(frontier), sink);
    }
  };
  checkDueRoots();

  // Leaves against their events come checked, range by range (possibly in parallel), with the
  // subtrees recomputed from them. The tree is built here, in order, from the largest of those
  // subtrees that fit before the next checkpoint size, so each checkpoint meets the tree at
  // exactly its size and the rest costs a few hashes per range instead of one per leaf.
  const check = {
    deep: options.deep === true,
    end: head.treeSize,
    ...(configured && eventsLog ? { format: configured.format } : {}),
  };
  for await (const range of reader.leafRanges(source, check)) {
    for (const finding of range.findings) sink.add(finding);
    eventCount += range.events;
    const checkedToLevel = range.subtrees.length - 1;
    if (range.from !== frontier.size)
      throw new TypeError(
        `CustodyReader.leafRanges broke its contract: a range from ${range.from} follows a tree of ${frontier.size}`,
      );
    const end = range.from + range.count;
    while (frontier.size < end) {
      const next = pendingRoots[0]?.size;
      const target = next !== undefined && next < end ? next : end;
      let level = checkedToLevel;
      while (level > 0 && (frontier.size % 2 ** level !== 0 || frontier.size + 2 ** level > target)) level--;
      const levelHashes = range.subtrees[level]!;
      const offset = levelHashes.byteOffset + ((frontier.size - range.from) / 2 ** level) * HASH_SIZE;
      const root = Buffer.from(levelHashes.buffer, offset, HASH_SIZE);
      // The subtree's own root lies inside the range: only the merges above it are left to check.
      const appended = appendSubtree(frontier, level, root);
      for (const node of appended.nodes) if (node.level > checkedToLevel) unchecked.push(node);
      frontier = appended.frontier;
      checkDueRoots();
    }
    await compareUnchecked(BATCH);
    options.onProgress?.(source, frontier.size);
    if (range.gapAt !== undefined) {
      sink.add({
        code: 'LEAF_GAP',
        leafIndex: range.gapAt,
        message: `leaf ${range.gapAt} is missing: leaf indices do not continue after ${range.gapAt - 1}`,
      });
      // Nothing after a gap can be placed in the tree; stop the tree checks for this source.
      break;
    }
  }
  await compareUnchecked(1);

  for await (const page of reader.eventsAfter(source, frontier.size - 1, head.treeSize)) {
    for (const row of page) {
      eventCount++;
      sink.add({
        code: 'EVENT_UNLEDGERED',
        eventId: row.providerId,
        ...(row.leafIndex === null ? {} : { leafIndex: row.leafIndex }),
        message: `stored event ${row.providerId} has no leaf in the ledger`,
      });
    }
  }
  for (const cp of pendingRoots) {
    sink.add({
      code: 'CHECKPOINT_BEYOND_TREE',
      checkpointId: cp.id,
      treeSize: cp.size,
      message: `checkpoint #${cp.id} signs a tree of ${cp.size} leaves but only ${frontier.size} are stored: the tail was truncated`,
    });
  }
  await checkConsistency(opened, frontier.size, hashes, sink);
  const latest = opened.at(-1);
  if (frontier.size > 0 && checkpoints.length === 0) {
    sink.add({ code: 'NO_CHECKPOINT', message: `${frontier.size} leaves but no signed checkpoint` });
  }
  const root = frontierRoot(frontier);
  const largest = opened.reduce((max, cp) => Math.max(max, cp.size), -1);
  const signedSince =
    verifier !== undefined && largest >= 0 && largest < head.treeSize && frontier.size === head.treeSize
      ? await signedSinceHead(reader, head, verifier, { log: source, size: frontier.size, root, hashes })
      : false;
  checkHead(
    head,
    signedSince ? head.treeSize : largest,
    eventsLog,
    options.sources === undefined ? undefined : { configured },
    sink,
  );
  for (const cp of external) {
    const state = { log: source, size: frontier.size, root, hashes };
    for (const f of await checkAgainstCheckpoint(
      cp.note,
      verifier ?? options.verifierFor(source),
      state,
      cp.from,
    ))
      sink.add(f);
  }
  const newest = [...opened].sort((a, b) => b.size - a.size)[0];
  return {
    source,
    leaves: frontier.size,
    events: eventCount,
    checkpoints: checkpoints.length,
    latestCheckpointSize: latest?.size ?? null,
    rootHash: frontier.size > 0 || latest ? root.toString('base64') : null,
    // Only a log with no finding vouches for its newest checkpoint (the rollback memory keeps it).
    ...(newest && sink.findings.length === 0 && sink.dropped === 0
      ? { verifiedCheckpoint: newest.note }
      : {}),
  };
}

interface OpenedCheckpoint {
  id: number;
  size: number;
  root: Buffer;
  note: string;
}

/**
 * What the log's head must agree on (docs/custody.md "Verification"), each provable from the store
 * alone: a configured source has leaves; every leaf has one event; the newest signed checkpoint
 * covers the whole tree (custody signs at the end of every collection run, so leaves past it mean a
 * run that did not finish or checkpoints cut away); the cursor's high-water mark is the published
 * time of a stored event (the collector sets it to the newest published time among the events of
 * the pages it stored, and keeps it when a page is empty, so a cursor moved past empty pages still
 * names a stored event, while one left behind by a truncation names an event that is gone); and
 * the detection mark lies inside the tree.
 */
function checkHead(
  head: LogHead,
  /** The largest signed size (-1: none). */
  signed: number,
  eventsLog: boolean,
  config: { configured: ConfiguredSource | undefined } | undefined,
  sink: FindingSink,
): void {
  const log = sink.source;
  if (config?.configured && head.treeSize === 0)
    sink.add({
      code: 'SOURCE_EMPTY',
      message: `source ${log} is configured but its log has no leaves: nothing was collected yet (run vigil collect --once), or the store was emptied`,
    });
  if (config && !config.configured && eventsLog && head.events > 0)
    sink.add({
      code: 'SOURCE_NOT_CONFIGURED',
      message: `log ${log} holds ${head.events} events but no source ${log} is in vigil.yaml: nothing says which provider's format they are in, so their query columns cannot be re-derived (add the source back)`,
    });
  if (head.events !== head.leaves)
    sink.add({
      code: 'STORE_COUNTS_DIFFER',
      message: `log ${log}: ${head.events} ${eventsLog ? 'events' : 'records'} are stored but ${head.leaves} leaves`,
    });
  if (signed >= 0 && signed < head.treeSize)
    sink.add({
      code: 'TREE_UNSIGNED',
      treeSize: signed,
      message: `log ${log}: leaves ${signed}..${head.treeSize - 1} lie beyond the largest signed checkpoint (size ${signed}): a collection run did not finish (vigil collect --once signs them), or newer checkpoints were cut away`,
    });
  const cursor = head.cursor;
  if (cursor && cursor.highWaterMs !== null && !cursor.highWaterStored)
    sink.add({
      code: 'CURSOR_AHEAD',
      message: `log ${log}: the collection cursor has read up to events published at ${isoTime(cursor.highWaterMs)}, but no stored event was published then (newest stored: ${head.newestPublishedMs === null ? 'none' : isoTime(head.newestPublishedMs)}): the newest events were cut away`,
    });
  if (head.detectedTo !== undefined && head.detectedTo >= head.treeSize)
    sink.add({
      code: 'CURSOR_AHEAD',
      leafIndex: head.detectedTo,
      message: `log ${log}: detection has finished with leaf ${head.detectedTo}, but the tree has ${head.treeSize} leaves: leaves it saw were cut away`,
    });
  checkLedgeredMark(head, sink);
}

/**
 * Each move of the detection mark is ledgered in `<log>/detection-marks` in the transaction that
 * makes it (issue 19): the stored mark must be the newest ledgered one. A mark moved forward inside
 * the tree makes detection skip events silently; deleted, it makes detection start over.
 */
function checkLedgeredMark(head: LogHead, sink: FindingSink): void {
  const log = sink.source;
  const ledgered = head.ledgeredMark;
  const marks = `${log}/detection-marks`;
  if (head.detectedTo === undefined && ledgered === undefined) return;
  if (ledgered === undefined)
    sink.add({
      code: 'DETECTION_MARK_UNLEDGERED',
      leafIndex: head.detectedTo!,
      message: `log ${log}: detection claims to have finished with leaf ${head.detectedTo}, but ${marks} holds no mark: the mark was set behind Vigil's back (or the store was last written by a Vigil that did not ledger marks: run vigil collect --once)`,
    });
  else if (head.detectedTo === undefined)
    sink.add({
      code: 'DETECTION_MARK_UNLEDGERED',
      recordId: ledgered.recordId,
      message: `log ${log}: the detection mark is gone, but ${marks} says detection finished with leaf ${ledgered.leaf ?? '?'} (record ${ledgered.recordId}): it was deleted`,
    });
  else if (ledgered.leaf !== head.detectedTo)
    sink.add({
      code: 'DETECTION_MARK_UNLEDGERED',
      leafIndex: head.detectedTo,
      recordId: ledgered.recordId,
      message: `log ${log}: the detection mark is leaf ${head.detectedTo}, but the newest mark in ${marks} is ${ledgered.leaf === null ? 'not a mark' : `leaf ${ledgered.leaf}`} (record ${ledgered.recordId}): the mark was moved behind Vigil's back${ledgered.leaf !== null && head.detectedTo > ledgered.leaf ? `, so events ${ledgered.leaf + 1}..${head.detectedTo} were never detected` : ''}`,
    });
}

/**
 * A collection run signs its newest leaves at its end, so leaves past the largest checkpoint when
 * the head was read may be signed by the time the tree is checked. They count as signed when a
 * checkpoint signed since verifies with the log's key and the checked tree is a prefix of its tree
 * (equal roots, or a consistency proof against its root; stored nodes cannot forge either).
 */
async function signedSinceHead(
  reader: CustodyReader,
  head: LogHead,
  verifier: NoteVerifier,
  checked: VerifiedLog,
): Promise<boolean> {
  const known = new Set(head.checkpoints.map((cp) => cp.id));
  const since = (await reader.head(checked.log)).checkpoints.filter(
    (cp) => !known.has(cp.id) && cp.treeSize >= checked.size,
  );
  for (const cp of since) {
    try {
      const { size, rootHash } = openCheckpoint(cp.note, verifier);
      if (size === checked.size) {
        if (rootHash.equals(checked.root)) return true;
        continue;
      }
      const proof = await consistencyProof(checked.size, size, checked.hashes);
      verifyConsistency(checked.size, checked.root, size, rootHash, proof);
      return true;
    } catch {
      // Not this one: it does not verify, or the checked tree is not its prefix.
    }
  }
  return false;
}

const isoTime = (ms: number): string => {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
};

function openCheckpoints(
  stored: readonly StoredCheckpoint[],
  verifier: NoteVerifier | undefined,
  source: string,
  sink: FindingSink,
): OpenedCheckpoint[] {
  const opened: OpenedCheckpoint[] = [];
  for (const cp of stored) {
    let failure: unknown;
    if (verifier) {
      try {
        const body = openCheckpoint(cp.note, verifier);
        if (body.size !== cp.treeSize || !body.rootHash.equals(cp.rootHash)) {
          sink.add({
            code: 'CHECKPOINT_MALFORMED',
            checkpointId: cp.id,
            treeSize: cp.treeSize,
            message: `checkpoint #${cp.id}: the signed note says size ${body.size}, the row says ${cp.treeSize} (or the roots differ)`,
          });
        }
        opened.push({ id: cp.id, size: body.size, root: body.rootHash, note: cp.note });
        continue;
      } catch (error) {
        failure = error;
      }
    }
    const malformed = isVigilError(failure) && failure.code === 'LEDGER_NOTE_MALFORMED';
    const reason =
      verifier === undefined
        ? `no verifier key for source ${source}`
        : failure instanceof Error
          ? failure.message
          : String(failure);
    sink.add({
      code: malformed ? 'CHECKPOINT_MALFORMED' : 'CHECKPOINT_SIGNATURE_INVALID',
      checkpointId: cp.id,
      treeSize: cp.treeSize,
      message: `checkpoint #${cp.id} (size ${cp.treeSize}) does not verify with the ledger key: ${reason}`,
    });
    // Still compare its claimed root, so a forged note is also placed against the tree.
    try {
      const body = parseCheckpoint(cp.note.slice(0, cp.note.indexOf('\n\n') + 1));
      opened.push({ id: cp.id, size: body.size, root: body.rootHash, note: cp.note });
    } catch {
      /* unparseable: already reported */
    }
  }
  return opened;
}

function checkRoot(cp: OpenedCheckpoint, computed: Buffer, sink: FindingSink): void {
  if (!computed.equals(cp.root)) {
    sink.add({
      code: 'CHECKPOINT_ROOT_MISMATCH',
      checkpointId: cp.id,
      treeSize: cp.size,
      message: `checkpoint #${cp.id}: the tree recomputed from the stored leaves has root ${computed.toString('base64')} at size ${cp.size}, the checkpoint signs ${cp.root.toString('base64')}`,
    });
  }
}

async function compareNodes(
  nodes: readonly StoredNode[],
  hashes: HashReader,
  sink: FindingSink,
): Promise<void> {
  let stored: Buffer[];
  try {
    stored = await hashes.readNodes(nodes);
  } catch {
    // Find which ones are missing, one by one (rare path).
    for (const node of nodes) {
      try {
        await hashes.readNodes([node]);
      } catch {
        sink.add(nodeFinding('NODE_MISSING', node.level, node.index));
      }
    }
    return;
  }
  nodes.forEach((node, i) => {
    if (!stored[i]?.equals(node.hash)) sink.add(nodeFinding('NODE_MISMATCH', node.level, node.index));
  });
}

async function checkConsistency(
  opened: readonly OpenedCheckpoint[],
  treeSize: number,
  hashes: HashReader,
  sink: FindingSink,
): Promise<void> {
  for (let i = 1; i < opened.length; i++) {
    const older = opened[i - 1]!;
    const newer = opened[i]!;
    if (newer.size < older.size) {
      sink.add({
        code: 'CHECKPOINT_INCONSISTENT',
        checkpointId: newer.id,
        treeSize: newer.size,
        message: `checkpoint #${newer.id} (size ${newer.size}) is smaller than the earlier #${older.id} (size ${older.size}): the log was rolled back`,
      });
      continue;
    }
    if (newer.size > treeSize || older.size === newer.size) {
      if (older.size === newer.size && !older.root.equals(newer.root)) {
        sink.add({
          code: 'CHECKPOINT_INCONSISTENT',
          checkpointId: newer.id,
          treeSize: newer.size,
          message: `checkpoints #${older.id} and #${newer.id} sign different roots for the same size ${newer.size}`,
        });
      }
      continue;
    }
    try {
      const proof = await consistencyProof(older.size, newer.size, hashes);
      verifyConsistency(older.size, older.root, newer.size, newer.root, proof);
    } catch (error) {
      sink.add({
        code: 'CHECKPOINT_INCONSISTENT',
        checkpointId: newer.id,
        treeSize: newer.size,
        message: `no valid consistency proof from checkpoint #${older.id} (size ${older.size}) to #${newer.id} (size ${newer.size}): ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}
