import type { Writable } from 'node:stream';
import path from 'node:path';
import type { Command } from 'commander';
import { systemClock, type Clock } from '../core/clock.js';
import { warnIfDataDirOpen } from './data-dir-access.js';
import type { Runtime, RuntimeOptions } from '../runtime/runtime.js';
import { applyHeapPolicy } from '../core/heap-policy.js';

/**
 * What a command may touch: its output streams, the environment, the clock. The composition root
 * (main.ts) builds one; tests build their own and run commands in-process.
 */
export interface CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly cwd: string;
  /** The exit code the run will end with; a command sets 1 when its check fails. */
  exitCode: number;
  /** Aborted on SIGINT/SIGTERM so long-running commands stop cleanly. */
  readonly signal: AbortSignal;
  /**
   * Sets the process's memory policy for collecting (core/heap-policy.ts). It is the whole
   * process's, so only the real entry point has one; commands run in-process by tests do not.
   */
  readonly heapPolicy?: (growthPercent: number) => void;
}

export function defaultCliContext(signal: AbortSignal): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    cwd: process.cwd(),
    exitCode: 0,
    signal,
    heapPolicy: applyHeapPolicy,
  };
}

/** docs/design.md "Data directory": `--data DIR`, else `$VIGIL_HOME`, else `./vigil-data`. */
export function dataDirOf(command: Command, ctx: CliContext): string {
  const fromFlag = command.optsWithGlobals<{ data?: string }>().data;
  const chosen = fromFlag ?? ctx.env['VIGIL_HOME'] ?? 'vigil-data';
  return path.resolve(ctx.cwd, chosen);
}

export type CommandRegistrar = (program: Command, ctx: CliContext) => void;

/**
 * Runs `use` with the composition root opened over the command's data directory, closed on every
 * path. The composition root (and with it the store, Kysely and every adapter) is loaded here, when
 * a command first opens it, so `vigil --version` and the CLI's start do not pay for it (about 35 MiB).
 */
export async function withCommandRuntime<T>(
  command: Command,
  ctx: CliContext,
  options: Omit<RuntimeOptions, 'dataDir' | 'env' | 'clock'> & { dataDir?: string },
  use: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const dataDir = options.dataDir ?? dataDirOf(command, ctx);
  warnIfDataDirOpen(dataDir, ctx.stderr);
  const { withRuntime } = await import('../runtime/runtime.js');
  return withRuntime({ env: ctx.env, clock: ctx.clock, ...options, dataDir }, use);
}
