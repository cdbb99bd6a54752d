import { decodeLeafEnvelope, eventDigest, rawDigest } from '../ledger/leaf-envelope.js';
import { parseVerifierKey } from '../ledger/note-key.js';
import {
  parseInclusionProofJson,
  verifyInclusionProof,
  type InclusionProof,
  type InclusionProofJson,
} from '../ledger/proof-json.js';
import { parseTlogProof } from '../ledger/tlog-proof.js';
import { openCheckpoint } from '../ledger/signed-checkpoint.js';

/**
 * An evidence bundle (issue 4 `vigil export`): a folder anyone can check without Vigil's store.
 *   checkpoint.txt   the signed C2SP checkpoint note, verbatim
 *   verifier-key.txt the ledger's verifier key (`name+keyid+base64`, Go's note.NewVerifier form)
 *   events.jsonl     the events, verbatim as the provider sent them
 *   proofs.jsonl     one docs/design.md inclusion-proof JSON per event, against that checkpoint
 *                    (Go: tlog.CheckRecord(proof, treeSize, rootHash, leafIndex, tlog.RecordHash(leafData)))
 *   proofs/N.tlog-proof  the same proof for leaf N as a c2sp.org/tlog-proof@v1 file, the leaf
 *                    envelope as its `extra` line, the checkpoint verbatim
 */
export interface EvidenceBundle {
  readonly checkpoint: string;
  /** The bundle's own `verifier-key.txt`. */
  readonly verifierKey: string;
  /**
   * The ledger's verifier key as the checker already knew it (`verify-bundle --vkey`). Without it the
   * bundle vouches for itself: a forger signs a forged bundle with a key of their own and ships that
   * key along, so trust from the bundled key is reported as such. With it, a bundle whose own key
   * differs fails.
   */
  readonly pinnedKey?: string;
  readonly events: readonly string[];
  readonly proofs: readonly InclusionProofJson[];
  /** The same proofs as c2sp.org/tlog-proof@v1 files (`proofs/<leaf index>.tlog-proof`), if present. */
  readonly tlogProofs?: readonly { readonly name: string; readonly text: string }[];
  /**
   * The events are withheld (a shared export, `vigil incident export --share`: they hold personal
   * data): each proof still shows its leaf envelope (event id and digests, no personal data) is in
   * the signed tree; the events themselves are checked against those digests by whoever holds them.
   */
  readonly eventsWithheld?: boolean;
}

export interface BundleFinding {
  readonly line?: number;
  readonly file?: string;
  readonly eventId?: string;
  readonly message: string;
}

/** Checks a bundle with no store at all: signature, every proof against the checkpoint, every event against its leaf. */
export function checkEvidenceBundle(bundle: EvidenceBundle): {
  ok: boolean;
  events: number;
  treeSize: number | null;
  /** Where the key the checkpoint was checked with came from. */
  keyTrust: 'pinned' | 'bundled';
  findings: BundleFinding[];
  /** With `eventsWithheld`: the events whose leaf is proven but whose bytes are not in the bundle. */
  withheld?: number;
} {
  const findings: BundleFinding[] = [];
  const keyTrust = bundle.pinnedKey === undefined ? 'bundled' : 'pinned';
  const key = (bundle.pinnedKey ?? bundle.verifierKey).trim();
  if (bundle.pinnedKey !== undefined && bundle.verifierKey.trim() !== key)
    findings.push({
      file: 'verifier-key.txt',
      message: 'verifier-key.txt is not the pinned key (--vkey): the bundle names another signer',
    });
  let checkpoint;
  try {
    checkpoint = openCheckpoint(bundle.checkpoint, parseVerifierKey(key));
  } catch (error) {
    findings.push({
      message: `checkpoint does not verify with the ${keyTrust} key: ${error instanceof Error ? error.message : String(error)}`,
    });
    return { ok: false, events: 0, treeSize: null, keyTrust, findings };
  }
  // Every line must be checked: a second line with a genuine uuid would otherwise hide behind the
  // genuine event's proof (each line is its own claim, and a proof covers one line).
  const byId = new Map<string, string>();
  const lineOf = new Map<string, number>();
  bundle.events.forEach((raw, i) => {
    try {
      const id = (JSON.parse(raw) as { uuid?: unknown }).uuid;
      if (typeof id !== 'string') {
        findings.push({ line: i + 1, message: 'event without a uuid' });
        return;
      }
      const first = lineOf.get(id);
      if (first !== undefined) {
        findings.push({
          line: i + 1,
          eventId: id,
          message: `event ${id} appears again (first on line ${first}): each line needs its own proof`,
        });
        return;
      }
      lineOf.set(id, i + 1);
      byId.set(id, raw);
    } catch {
      findings.push({ line: i + 1, message: 'event is not valid JSON' });
    }
  });
  // One check for every proof, whichever form carries it: it must be against the bundled checkpoint,
  // verify, and its leaf must record exactly the bundled event's bytes.
  const covered = new Set<string>();
  const withheld = new Set<string>();
  // `read` returns the proof, or why the file carries none that can be checked.
  const checkProof = (where: { line?: number; file?: string }, read: () => InclusionProof | string) => {
    const label = where.file ?? `proof ${where.line}`;
    const fail = (reason: string): void => {
      findings.push({ ...where, message: `${label}: ${reason}` });
    };
    try {
      const proof = read();
      if (typeof proof === 'string') {
        fail(proof);
        return;
      }
      if (proof.treeSize !== checkpoint.size || !proof.rootHash.equals(checkpoint.rootHash)) {
        fail(`proof is against tree ${proof.treeSize}, the checkpoint signs ${checkpoint.size}`);
        return;
      }
      verifyInclusionProof(proof);
      const envelope = decodeLeafEnvelope(proof.leafData);
      const raw = byId.get(envelope.eventId);
      if (raw === undefined) {
        if (bundle.eventsWithheld) withheld.add(envelope.eventId);
        else fail(`event ${envelope.eventId} is missing from events.jsonl`);
        return;
      }
      // A bundle is small: check both digests, the verbatim bytes (v2 leaves) and the canonical event.
      const rawChanged =
        envelope.rawSha256 !== undefined && rawDigest(raw).toString('hex') !== envelope.rawSha256;
      if (rawChanged || eventDigest(JSON.parse(raw)).toString('hex') !== envelope.eventSha256) {
        findings.push({
          ...where,
          eventId: envelope.eventId,
          message: `${label}: event ${envelope.eventId} differs from what the ledger recorded`,
        });
      }
      covered.add(envelope.eventId);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  };
  bundle.proofs.forEach((json, i) => checkProof({ line: i + 1 }, () => parseInclusionProofJson(json)));
  for (const { name, text } of bundle.tlogProofs ?? []) {
    checkProof({ file: name }, () => {
      const p = parseTlogProof(text);
      if (p.checkpoint !== bundle.checkpoint) return 'its checkpoint is not the bundled checkpoint';
      if (!p.extra) return 'no extra line carrying the leaf envelope';
      return {
        treeSize: checkpoint.size,
        rootHash: checkpoint.rootHash,
        leafIndex: p.index,
        leafData: p.extra,
        proof: [...p.proof],
      };
    });
  }
  for (const id of covered) byId.delete(id);
  for (const id of byId.keys())
    findings.push({ eventId: id, message: `event ${id} has no proof in the bundle` });
  return {
    ok: findings.length === 0,
    events: bundle.events.length,
    treeSize: checkpoint.size,
    keyTrust,
    findings,
    ...(bundle.eventsWithheld ? { withheld: withheld.size } : {}),
  };
}

/** The file a bundle whose events are withheld carries instead of events.jsonl (it says why). */
export const WITHHELD_FILE = 'EVENTS-WITHHELD.txt';

export const BUNDLE_README = `# Vigil evidence bundle

Files: checkpoint.txt (a C2SP signed checkpoint note), verifier-key.txt (its Ed25519 verifier key,
C2SP/Go vkey form), events.jsonl (the events, verbatim as the identity provider sent them),
proofs.jsonl (one RFC 9162 inclusion proof per event, all hashes standard base64:
{"treeSize","rootHash","leafIndex","leafHash","leafData","proof"}).

Each event's proof is also in proofs/<leaf index>.tlog-proof, in the c2sp.org/tlog-proof@v1 format:
its "extra" line is the base64 leaf envelope (not trusted by itself: its leaf hash must pass the proof),
then "index", the proof hashes, a blank line and the signed checkpoint verbatim.

To check it with Vigil: \`vigil verify-bundle --vkey '<the ledger's verifier key>' <this folder>\`.
Take the key from where you recorded it before (\`vigil ledger key\` on the collector, a witness, a
ticket), never from this folder: verifier-key.txt only says which key the bundle claims; anyone can
sign a forged bundle with a key of their own and ship that key with it.

To check it with other tools:
1. The checkpoint: Go's golang.org/x/mod/sumdb/note — note.Open(checkpoint, note.VerifierList(note.NewVerifier(key))).
   Its body is "<origin>\\n<tree size>\\n<base64 root>\\n" (c2sp.org/tlog-checkpoint).
2. Each proof: leafData is the UTF-8 RFC 8785 JSON envelope {eventId, eventSha256, published, rawSha256, source, v}
   (version 1 envelopes have no rawSha256).
   leafHash = SHA-256(0x00 || leafData); golang.org/x/mod/sumdb/tlog.CheckRecord(proof, treeSize,
   rootHash, leafIndex, leafHash) must succeed, and treeSize/rootHash must equal the checkpoint's.
3. Each event: rawSha256 is the hex SHA-256 of the event's line in events.jsonl without its newline
   (\`head -n K events.jsonl | tail -n 1 | tr -d '\\n' | sha256sum\`), and eventSha256 is the hex SHA-256 of
   the event's RFC 8785 canonical form (any JCS library).
`;
