import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../src/ledger/checkpoint.js';
import { parseCosignatureVerifierKey } from '../src/ledger/cosignature-v1.js';
import { canonicalize } from '../src/ledger/jcs.js';
import { formatTlogProof, parseTlogProof } from '../src/ledger/tlog-proof.js';
import { MemoryHashStore } from '../src/ledger/memory-hash-store.js';
import { hashLeaf } from '../src/ledger/merkle-hash.js';
import {
  formatSignerKey,
  formatVerifierKey,
  hex8,
  parseSignerKey,
  parseVerifierKey,
} from '../src/ledger/note-key.js';
import type { NoteVerifier } from '../src/ledger/note-key.js';
import { verifyConsistency, verifyInclusion } from '../src/ledger/proof-verification.js';
import { openCheckpoint, signCheckpoint } from '../src/ledger/signed-checkpoint.js';
import { openNote, signNote } from '../src/ledger/signed-note.js';
import { encodeEntryBundle, readTile, tilePath, tilesForTreeSize } from '../src/ledger/tlog-tiles.js';
import type { LedgerErrorCode } from '../src/ledger/errors.js';
import { expectCode } from '../test/support/expect-code.js';
import { CONFORMANCE_DIR, conformancePath } from './shared-conformance.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- vector files are untyped JSON read only here */
const load = (name: string): any => JSON.parse(readFileSync(conformancePath('ledger', name), 'utf8'));

/** Go's error texts (note.Open) mapped to our stable codes. */
const GO_ERROR_TO_CODE: [RegExp, LedgerErrorCode][] = [
  [/^malformed note$/, 'LEDGER_NOTE_MALFORMED'],
  [/^note has no verifiable signatures$/, 'LEDGER_NOTE_UNVERIFIED'],
  [/^invalid signature for key /, 'LEDGER_NOTE_SIGNATURE_INVALID'],
];

const verifierFor = (key: string): NoteVerifier =>
  key.startsWith('cosig:') ? parseCosignatureVerifierKey(key.slice('cosig:'.length)) : parseVerifierKey(key);

const names = (sigs: { name: string; keyId: number }[]): string[] =>
  sigs.map((s) => `${s.name}+${hex8(s.keyId)}`).sort();

describe.skipIf(!CONFORMANCE_DIR)('signed notes, checkpoints, JCS (../shared/conformance/ledger)', () => {
  describe('signed-note-open-vectors: every note.Open case has the same outcome', () => {
    const file = CONFORMANCE_DIR ? load('signed-note-open-vectors.json') : { cases: [] };
    for (const c of file.cases as any[]) {
      it(c.desc, () => {
        // The JSON file could not hold the raw 0xff byte (it reads back as U+FFFD); restore the bytes Go saw.
        const note: string | Buffer = c.desc.includes('invalid UTF-8')
          ? Buffer.concat(
              c.note
                .split('\uFFFD')
                .flatMap((part: string, i: number) =>
                  i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff]), Buffer.from(part)],
                ),
            )
          : c.note;
        const verifiers = (c.verifier_keys as string[]).map(verifierFor);
        if (c.want_ok) {
          const opened = openNote(note, verifiers);
          expect(names(opened.signatures)).toEqual([...(c.want_verified_sigs as string[])].sort());
          expect(names(opened.unverified)).toEqual(
            [...((c.want_unverified_sigs as string[] | undefined) ?? [])].sort(),
          );
        } else {
          const want = GO_ERROR_TO_CODE.find(([re]) => re.test(c.want_error))?.[1];
          if (want === undefined) return expect.fail(`no code for Go's error ${c.want_error}`);
          expectCode(() => openNote(note, verifiers), want);
        }
      });
    }
    it('x/mod TestSign: our signature equals Go note.Sign byte for byte', () => {
      const v = file.x_mod_sign_vector;
      expect(signNote(v.text, parseSignerKey(v.skey))).toBe(v.want);
    });
    it('published keys: signer keys round-trip and yield the published verifier keys', () => {
      const pn = file.keys.PeterNeumann;
      const signer = parseSignerKey(pn.skey);
      expect(formatSignerKey(signer)).toBe(pn.skey);
      expect(formatVerifierKey(signer)).toBe(pn.vkey);
      for (const pair of Object.values(file.keys['transparency-dev/formats log/note_test.go']) as string[]) {
        if (!pair.includes(' / ')) continue;
        const [skey, vkey] = pair.split(' / ') as [string, string];
        expect(formatVerifierKey(parseSignerKey(skey))).toBe(vkey);
      }
    });
  });

  describe('c2sp-generated-checkpoints', () => {
    const file = CONFORMANCE_DIR
      ? load('c2sp-generated-checkpoints.json')
      : { checkpoints: [], witnesses: [] };
    const logVerifier = (): NoteVerifier => parseVerifierKey(file.log.vkey);
    const witnesses = (): NoteVerifier[] =>
      (file.witnesses as any[]).map((w) => parseCosignatureVerifierKey(w.vkey));

    it('log key: seed gives the published skey and vkey', () => {
      const signer = parseSignerKey(file.log.skey);
      expect(signer.name).toBe(file.log.origin);
      expect(formatVerifierKey(signer)).toBe(file.log.vkey);
    });
    for (const cp of file.checkpoints as any[]) {
      it(`size ${cp.tree_size}: body parses, our signature matches Go's, log + both cosignatures verify`, () => {
        const parsed = parseCheckpoint(cp.body);
        expect(parsed.size).toBe(cp.tree_size);
        expect(parsed.rootHash.toString('hex')).toBe(cp.root_hex);
        const ours = signCheckpoint(parsed, parseSignerKey(file.log.skey));
        // Ed25519 is deterministic (RFC 8032), so our log signature line is Go's exactly.
        expect(cp.signed_note.startsWith(ours)).toBe(true);
        const opened = openCheckpoint(cp.signed_note, logVerifier(), witnesses());
        expect(opened.note.signatures).toHaveLength(3);
        expect(opened.size).toBe(cp.tree_size);
        // The file's rule: witness j cosigns size s at time 1700000000 + 1000*s + j.
        witnesses().forEach((w, j) => {
          const line = opened.note.signatures.find((sig) => sig.name === w.name) as { base64: string };
          const timestamp = parseCosignatureVerifierKey(file.witnesses[j].vkey).timestampOf(
            Buffer.from(line.base64, 'base64').subarray(4),
          );
          expect(timestamp).toBe(BigInt(1_700_000_000 + 1000 * cp.tree_size + j));
        });
      });
    }
    it('extension lines: strict parse refuses them, opt-in keeps them, signature still verifies', () => {
      const ext = file.checkpoint_with_extension_lines;
      expectCode(() => parseCheckpoint(ext.body), 'LEDGER_CHECKPOINT_MALFORMED');
      expect(parseCheckpoint(ext.body, { allowExtensions: true }).extensions).toEqual([
        'Timestamp: 1700008000',
        'okta-org: example.okta.com',
      ]);
      expect(openNote(ext.signed_note, [logVerifier()]).text).toBe(ext.body);
    });
    it('tlog-proof@v1 file for leaf 5: inclusion proof verifies against the signed checkpoint', () => {
      const text = file.tlog_proof_leaf5_size8 as string;
      const parsed = parseTlogProof(text);
      expect(formatTlogProof(parsed)).toBe(text);
      const { index, proof } = parsed;
      const cp = openCheckpoint(parsed.checkpoint, logVerifier(), witnesses());
      const tree = load('rfc6962-tree-8-leaves.json');
      const leafHash = hashLeaf(Buffer.from(tree.leaf_inputs[index], 'hex'));
      verifyInclusion(leafHash, index, cp.size, proof, cp.rootHash);
    });
    it('tlog-witness add-checkpoint request old 4 → 8: consistency proof verifies', () => {
      const text = file.tlog_witness_add_checkpoint_request_old4_new8 as string;
      const split = text.indexOf('\n\n');
      const [oldLine, ...proofLines] = text.slice(0, split).split('\n');
      const oldSize = Number((oldLine as string).replace('old ', ''));
      const cp = openCheckpoint(text.slice(split + 2), logVerifier(), witnesses());
      const oldRoot = parseCheckpoint(
        (file.checkpoints as any[]).find((c) => c.tree_size === oldSize).body,
      ).rootHash;
      verifyConsistency(
        oldSize,
        oldRoot,
        cp.size,
        cp.rootHash,
        proofLines.map((l) => Buffer.from(l, 'base64')),
      );
    });
  });

  describe('c2sp-tlog-tiles-vectors', () => {
    const tiles = CONFORMANCE_DIR ? load('c2sp-tlog-tiles-vectors.json') : {};
    it('tile paths (C2SP form; x/mod adds a "/8" height segment)', () => {
      for (const t of tiles.tile_paths as any[]) {
        expect(tilePath(t.level, t.n, t.width)).toBe(t.c2sp_path);
        expect(tilePath(t.level, t.n, t.width).replace(/^tile\//, 'tile/8/')).toBe(t.xmod_tlog_path);
      }
    });
    it('tiles for each tree size', () => {
      for (const v of tiles.tiles_for_tree_size as any[]) {
        const described = tilesForTreeSize(v.tree_size).flatMap(({ level, fullTiles, partialWidth }) => [
          ...(fullTiles > 0
            ? [
                `level ${level}: ${fullTiles} full tiles (${tilePath(level, 0)} .. ${tilePath(level, fullTiles - 1)})`,
              ]
            : []),
          ...(partialWidth ? [`partial ${tilePath(level, fullTiles, partialWidth)}`] : []),
        ]);
        expect(described, `size ${v.tree_size}`).toEqual(v.tiles_full_and_partial);
      }
    });
    it('8-leaf tree: partial level-0 tile and entry bundle bytes', async () => {
      const tree = load('rfc6962-tree-8-leaves.json');
      const inputs = (tree.leaf_inputs as string[]).map((s) => Buffer.from(s, 'hex'));
      const store = new MemoryHashStore();
      store.append(inputs.map(hashLeaf));
      expect(tilePath(0, 0, 8)).toBe(tiles.tree8.partial_level0_tile_path);
      expect((await readTile(0, 0, 8, store)).toString('hex')).toBe(tiles.tree8.partial_level0_tile_hex);
      expect(tilePath('entries', 0, 8)).toBe(tiles.tree8.partial_entry_bundle_path);
      expect(encodeEntryBundle(inputs).toString('hex')).toBe(tiles.tree8.partial_entry_bundle_hex);
    });
  });

  describe('jcs-rfc8785-vectors', () => {
    const file = CONFORMANCE_DIR ? load('jcs-rfc8785-vectors.json') : { vectors: [] };
    for (const v of file.vectors as any[]) {
      it(v.name, () => {
        const out = canonicalize(JSON.parse(v.input));
        expect(out).toBe(v.expected_output);
        expect(Buffer.from(out, 'utf8').toString('hex')).toBe(v.expected_output_utf8_hex);
      });
    }
  });
});
