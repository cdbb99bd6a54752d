import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bin/vigil.js`, beside `dist/`. */
export const VIGIL_BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bin',
  'vigil.js',
);

/** Starts `vigil sim` as a child process (no rate limit to speak of) and reads its URL and token. */
export async function spawnSimulator(
  users: number,
  days: number,
): Promise<{ url: string; token: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      VIGIL_BIN,
      'sim',
      '--port',
      '0',
      '--users',
      String(users),
      '--days',
      String(days),
      '--rate-limit',
      '1000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const ready = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`vigil sim exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /org URL: (\S+)/.exec(out)?.[1];
      const token = /API token: (\S+)/.exec(out)?.[1];
      if (url && token && out.includes('serving until stopped')) resolve({ url, token });
    });
  });
  return { ...ready, stop: () => child.kill('SIGTERM') };
}
