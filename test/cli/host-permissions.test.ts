import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const mode = (file: string) => statSync(file).mode & 0o777;

/** A data directory made beforehand the usual way (mkdir under umask 022): others can enter it. */
function openDataDir(): string {
  const dir = path.join(tempDir('vigil-perm-'), 'data');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  return dir;
}

describe('a hostile neighbour on the host cannot read the store', () => {
  it('vigil.db and its -wal and -shm are 0600, even in a 0755 directory', async () => {
    const dir = openDataDir();
    const store = await openSqliteStore({ dataDir: dir, access: 'write' });
    try {
      for (const f of [STORE_FILE, `${STORE_FILE}-wal`, `${STORE_FILE}-shm`])
        expect(mode(path.join(dir, f)), f).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('a store left 0644 by an older version is narrowed to 0600 when a writer opens it', async () => {
    const dir = openDataDir();
    await (await openSqliteStore({ dataDir: dir, access: 'write' })).close();
    const file = path.join(dir, STORE_FILE);
    chmodSync(file, 0o644);
    closeSync(openSync(`${file}-wal`, 'a'));
    chmodSync(`${file}-wal`, 0o644);
    const store = await openSqliteStore({ dataDir: dir, access: 'write' });
    await store.close();
    expect(mode(file)).toBe(0o600);
  });

  it('a new data directory is 0700; one others can enter is warned about on stderr', async () => {
    const fresh = path.join(tempDir('vigil-perm-'), 'fresh');
    await (await openSqliteStore({ dataDir: fresh, access: 'write' })).close();
    expect(mode(fresh)).toBe(0o700);
    expect((await runVigil(['--data', fresh, 'events'])).stderr).not.toContain('warning');

    const open = openDataDir();
    await (await openSqliteStore({ dataDir: open, access: 'write' })).close();
    const r = await runVigil(['--data', open, 'events']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `vigil: warning: data directory ${open} is mode 755: other users can enter it`,
    );
  });
});
