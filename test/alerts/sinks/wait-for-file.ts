import { existsSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';

/**
 * Resolves with the file's content once `ready(content)` holds. Driven by file-system events on the
 * folder (no sleeps); `timeoutMs` only bounds a failing test.
 */
export function waitForFile(
  file: string,
  ready: (content: string) => boolean,
  timeoutMs = 10_000,
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
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out waiting for ${file}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      watcher.close();
    };
    check();
  });
}
