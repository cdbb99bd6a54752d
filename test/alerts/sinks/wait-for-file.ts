import { existsSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';

/**
 * Resolves with the file's content once `ready(content)` holds. Driven by file-system events on the
 * folder, with a slow re-check in case the watcher misses the last write (a daemon may write before
 * the watch is in place, or coalesce writes); `timeoutMs` only bounds a failing test, and is generous
 * because a loaded two-core machine running the whole suite can hold rsyslogd back for seconds.
 */
export function waitForFile(
  file: string,
  ready: (content: string) => boolean,
  timeoutMs = 45_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (!existsSync(file)) return false;
      const content = readFileSync(file, 'utf8');
      if (!ready(content)) return false;
      finish();
      resolve(content);
      return true;
    };
    const watcher = watch(path.dirname(file), () => void check());
    const recheck = setInterval(() => void check(), 500);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out waiting for ${file}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      clearInterval(recheck);
      watcher.close();
    };
    check();
  });
}
