import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { CliContext } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/main.js';

/** Runs `vigil ...` in-process with captured output; `onStdout` may abort long-running commands. */
export async function runVigil(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    clock?: ManualClock;
    onStdout?: (all: string, abort: () => void) => void;
    /** Records the process memory policy a collecting command asks for (main.ts's sets V8's). */
    heapPolicy?: (growthPercent: number) => void;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const ctx: CliContext = {
    stdout: sink((s) => {
      stdout += s;
      options.onStdout?.(stdout, () => controller.abort(new Error('test stop')));
    }),
    stderr: sink((s) => (stderr += s)),
    env: options.env ?? {},
    clock: options.clock ?? new ManualClock('2026-03-10T12:00:00Z'),
    cwd: options.cwd ?? process.cwd(),
    exitCode: 0,
    signal: controller.signal,
    ...(options.heapPolicy ? { heapPolicy: options.heapPolicy } : {}),
  };
  const code = await runCli(['node', 'vigil', ...args], ctx);
  return { code, stdout, stderr };
}

/**
 * `vigil source add okta --name okta --url URL --token-env OKTA_TOKEN` through `vigil`, asserting it
 * worked: the first step of every test that collects from a simulator through the CLI.
 */
export async function addOktaSource(
  vigil: (...args: string[]) => Promise<{ code: number; stderr: string }>,
  url: string,
): Promise<void> {
  const added = await vigil(
    'source',
    'add',
    'okta',
    '--name',
    'okta',
    '--url',
    url,
    '--token-env',
    'OKTA_TOKEN',
  );
  expect(added.code, added.stderr).toBe(0);
}
