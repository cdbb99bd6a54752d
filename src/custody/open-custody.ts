import type { Clock } from '../core/clock.js';
import { ledgerOrigin, loadOrCreateSigningKey } from '../keys/signing-key-file.js';
import type { Ed25519NoteSigner } from '../ledger/note-key.js';
import type { CheckpointPolicy } from '../ledger/checkpoint-schedule.js';
import { openSqliteStoreWithBulk } from '../store/sqlite/open-sqlite.js';
import { CustodyStore } from './custody-store.js';

/**
 * The custody store of a data directory, with each source's ledger key (created on first use, 0600).
 * A process that ingests in bulk (collect, demo) asks for `backgroundCheckpoints`.
 */
export async function openCustody(
  dataDir: string,
  clock: Clock,
  policy?: CheckpointPolicy,
  options: { backgroundCheckpoints?: boolean } = {},
) {
  const { db, bulk, checkpointer } = await openSqliteStoreWithBulk(dataDir, options);
  const signers = new Map<string, Ed25519NoteSigner>();
  const signerFor = (source: string) => {
    let signer = signers.get(source);
    if (!signer) {
      signer = loadOrCreateSigningKey(dataDir, ledgerOrigin(source));
      signers.set(source, signer);
    }
    return signer;
  };
  const store = new CustodyStore(db, clock, signerFor, policy, bulk, checkpointer);
  const close = async () => {
    await checkpointer?.close();
    await db.destroy();
  };
  return { db, store, signerFor, close };
}
