import { ledgerReads } from '../custody/ledger-reads.js';
import { consistencyProof, treeRoot } from '../ledger/proofs.js';
import type { Finding } from '../verify/verification-report.js';
import { checkStoredCosignatures } from '../verify/witness-check.js';
import { witnessCheckpoint, type WitnessingOutcome } from '../witness/checkpoint-witnessing.js';
import { cosignatureStore } from '../witness/cosignature-store.js';
import { configuredWitness, type ConfiguredWitness } from '../witness/witness-config.js';
import type { WitnessErrorCode } from '../witness/errors.js';
import { VigilError } from '../core/vigil-error.js';
import { describeOutcome } from './checkpoint-publication.js';
import type { Runtime } from './runtime.js';

/**
 * `vigil verify`'s witness checks, composed over the runtime: the cosignatures in the store against
 * the witness keys in vigil.yaml, and (`--witness URL`) the store's newest checkpoints against what a
 * witness has cosigned. Reads only: nothing is stored.
 */
export async function verifyStoredCosignatures(
  runtime: Runtime,
  originOf: (log: string) => string,
): Promise<{ checked: number; findings: Finding[] }> {
  const custody = runtime.custody();
  return checkStoredCosignatures(
    await cosignatureStore(runtime.store.db).all(),
    runtime.config.witnesses.map((w) => configuredWitness(w).verifier),
    {
      origin: async (log) => originOf(log),
      size: (log) => custody.treeSize(log),
      rootAt: (log, size) => treeRoot(size, custody.hashReader(log)),
    },
  );
}

/** The configured witness at `url`: its key is what its cosignatures are checked with. */
export function witnessAt(runtime: Runtime, url: string): ConfiguredWitness {
  const wanted = url.replace(/\/+$/, '');
  const found = runtime.config.witnesses.map(configuredWitness).find((w) => w.url === wanted);
  if (!found)
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_UNKNOWN',
      `--witness ${url}: not a configured witness; add it with 'vigil ledger witness add ${url} <its vkey>' so its answers can be checked`,
      { category: 'input' },
    );
  return found;
}

/**
 * Asks `witness` about each log's newest stored checkpoint, starting from the store's own size: a
 * witness that has cosigned a larger tree answers 409 with its size (the store was cut short or
 * rolled back); one that holds another root at that size, or at a smaller size refuses the store's
 * consistency proof, shows a fork. A witness that cannot be asked fails the check too (fail closed).
 */
export async function verifyAgainstWitness(runtime: Runtime, witness: ConfiguredWitness): Promise<Finding[]> {
  const reads = ledgerReads(runtime.store.db);
  const custody = runtime.custody();
  const findings: Finding[] = [];
  for (const log of await reads.logs()) {
    const cp = await reads.latestCheckpoint(log);
    const reader = custody.hashReader(log);
    const outcome = await witnessCheckpoint(
      runtime.fetch,
      witness,
      {
        log,
        treeSize: cp.treeSize,
        note: cp.note,
        consistencyProof: (old) => consistencyProof(old, cp.treeSize, reader),
      },
      cp.treeSize,
    );
    const finding = findingOf(outcome, witness.url);
    if (finding) findings.push(finding);
  }
  return findings;
}

function findingOf(outcome: WitnessingOutcome, url: string): Finding | undefined {
  if (outcome.kind === 'cosigned') return undefined;
  const code =
    outcome.kind === 'witness-ahead'
      ? 'TREE_ROLLED_BACK'
      : outcome.kind === 'inconsistent'
        ? 'TREE_INCONSISTENT'
        : 'WITNESS_UNAVAILABLE';
  return {
    source: outcome.log,
    treeSize: outcome.treeSize,
    witness: url,
    code,
    message: `witness ${outcome.witness}: ${describeOutcome(outcome)}`,
  };
}

/** Both witness checks of `vigil verify`: stored cosignatures, then each `--witness` URL. */
export async function witnessFindings(
  runtime: Runtime,
  originOf: (log: string) => string,
  witnesses: readonly ConfiguredWitness[],
): Promise<{ cosignaturesChecked: number; findings: Finding[] }> {
  const stored = await verifyStoredCosignatures(runtime, originOf);
  const findings = [...stored.findings];
  for (const witness of witnesses) findings.push(...(await verifyAgainstWitness(runtime, witness)));
  return { cosignaturesChecked: stored.checked, findings };
}
