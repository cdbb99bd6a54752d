import { statSync } from 'node:fs';

/**
 * The one check for a file that holds a secret (a signing key, an API token, a sink's password or
 * webhook URL): it must be a regular file that only its owner may read or write. On a shared host a
 * secret others can read is already leaked, so it is refused, not just warned about.
 *
 * Returns why `file` may not hold a secret, or undefined when it may. A missing or unreadable file
 * is left to the caller's read, which names it.
 */
export function privateFileProblem(file: string): string | undefined {
  let info;
  try {
    info = statSync(file); // follows a symlink: what matters is who can read the secret itself
  } catch {
    return undefined;
  }
  if (!info.isFile()) return 'is not a regular file';
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0)
    return `is readable by others (mode ${mode.toString(8)}: group or others may read or write it; chmod 600 it)`;
  return undefined;
}
