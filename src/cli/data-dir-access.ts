import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Warns (stderr) when users other than the owner may enter the data directory. Vigil creates it
 * 0700 and every file in it 0600, but a directory made beforehand (`mkdir` under umask 022 gives
 * 0755) lets another local user reach anything in it that is, or once was, readable, such as a
 * store written by an older version or a bundle exported there. A warning, not a refusal: the
 * operator may have reasons (a group of responders), and the files themselves stay 0600.
 */
export function warnIfDataDirOpen(dataDir: string, stderr: Writable): void {
  let mode: number;
  try {
    mode = statSync(dataDir).mode & 0o777;
  } catch {
    return; // not there yet: Vigil creates it 0700
  }
  if ((mode & 0o011) === 0) return;
  stderr.write(
    `vigil: warning: data directory ${dataDir} is mode ${mode.toString(8)}: other users can enter it (chmod 700 it)\n`,
  );
}
