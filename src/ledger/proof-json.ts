import { z } from 'zod';
import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { hashLeaf } from './merkle-hash.js';
import { isCanonicalBase64 } from './note-key.js';
import { verifyConsistency, verifyInclusion } from './proof-verification.js';

/** docs/design.md "Proof JSON": what `vigil ledger prove --json` prints; all bytes standard base64. */
export interface InclusionProofJson {
  treeSize: number;
  rootHash: string;
  leafIndex: number;
  leafHash: string;
  /** base64 of the leaf envelope bytes. */
  leafData: string;
  proof: string[];
}

export interface ConsistencyProofJson {
  oldSize: number;
  oldRoot: string;
  treeSize: number;
  rootHash: string;
  proof: string[];
}

export interface InclusionProof {
  treeSize: number;
  rootHash: Buffer;
  leafIndex: number;
  leafData: Buffer;
  proof: Buffer[];
}

export interface ConsistencyProof {
  oldSize: number;
  oldRoot: Buffer;
  treeSize: number;
  rootHash: Buffer;
  proof: Buffer[];
}

const b64 = z.string().refine(isCanonicalBase64, 'standard base64');
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const inclusionSchema = z
  .object({
    treeSize: size,
    rootHash: b64,
    leafIndex: size,
    leafHash: b64,
    leafData: b64,
    proof: z.array(b64),
  })
  .strict();
const consistencySchema = z
  .object({ oldSize: size, oldRoot: b64, treeSize: size, rootHash: b64, proof: z.array(b64) })
  .strict();

const decode = (text: string): Buffer => Buffer.from(text, 'base64');

/** zod's issues as the module's error; the message names the first offending key path. */
function invalidJson(error: z.ZodError): VigilError<LedgerErrorCode> {
  const issues = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return new VigilError('LEDGER_PROOF_JSON_INVALID', `proof JSON invalid: ${issues[0] ?? 'unreadable'}`, {
    category: 'input',
    details: { path: error.issues[0]?.path ?? [], issues },
  });
}

export function inclusionProofToJson(p: InclusionProof): InclusionProofJson {
  return {
    treeSize: p.treeSize,
    rootHash: p.rootHash.toString('base64'),
    leafIndex: p.leafIndex,
    leafHash: hashLeaf(p.leafData).toString('base64'),
    leafData: p.leafData.toString('base64'),
    proof: p.proof.map((h) => h.toString('base64')),
  };
}

export function consistencyProofToJson(p: ConsistencyProof): ConsistencyProofJson {
  return {
    oldSize: p.oldSize,
    oldRoot: p.oldRoot.toString('base64'),
    treeSize: p.treeSize,
    rootHash: p.rootHash.toString('base64'),
    proof: p.proof.map((h) => h.toString('base64')),
  };
}

/** Parses (already JSON-decoded) inclusion proof JSON; `leafHash` must be the leaf hash of `leafData`. */
export function parseInclusionProofJson(json: unknown): InclusionProof {
  const parsed = inclusionSchema.safeParse(json);
  if (!parsed.success) throw invalidJson(parsed.error);
  const leafData = decode(parsed.data.leafData);
  if (!hashLeaf(leafData).equals(decode(parsed.data.leafHash))) {
    throw new VigilError<LedgerErrorCode>(
      'LEDGER_INCLUSION_PROOF_INVALID',
      'leafHash is not the leaf hash of leafData',
      {
        category: 'check',
        details: { reason: 'leaf hash mismatch' },
      },
    );
  }
  return {
    treeSize: parsed.data.treeSize,
    rootHash: decode(parsed.data.rootHash),
    leafIndex: parsed.data.leafIndex,
    leafData,
    proof: parsed.data.proof.map(decode),
  };
}

export function parseConsistencyProofJson(json: unknown): ConsistencyProof {
  const parsed = consistencySchema.safeParse(json);
  if (!parsed.success) throw invalidJson(parsed.error);
  return {
    oldSize: parsed.data.oldSize,
    oldRoot: decode(parsed.data.oldRoot),
    treeSize: parsed.data.treeSize,
    rootHash: decode(parsed.data.rootHash),
    proof: parsed.data.proof.map(decode),
  };
}

/** Verifies an inclusion proof against its own root; the caller checks that root against a signed checkpoint. */
export function verifyInclusionProof(p: InclusionProof): void {
  verifyInclusion(hashLeaf(p.leafData), p.leafIndex, p.treeSize, p.proof, p.rootHash);
}

export function verifyConsistencyProof(p: ConsistencyProof): void {
  verifyConsistency(p.oldSize, p.oldRoot, p.treeSize, p.rootHash, p.proof);
}
