import { describe } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';
import { storeContract } from './store-contract.js';

describe('store contract: SQLite', () => {
  storeContract(() => openSqliteStore({ dataDir: tempDir('vigil-store-'), access: 'write' }));
});
