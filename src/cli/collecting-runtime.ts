import type { Command } from 'commander';
import { loadConfig } from '../config/vigil-config.js';
import type { RuntimeOptions } from '../runtime/runtime.js';
import { dataDirOf, type CliContext } from './cli-context.js';

/**
 * The runtime options of a command that collects. The entry point set the default memory policy
 * before loading it (main.ts); vigil.yaml's `collect.heapGrowthPercent` is applied here, before the
 * runtime loads and allocates the rest.
 */
export function collectingRuntimeOptions(
  command: Command,
  ctx: CliContext,
): Pick<RuntimeOptions, 'access' | 'bulk' | 'collect' | 'config'> {
  const config = loadConfig(dataDirOf(command, ctx));
  ctx.heapPolicy?.(config.collect.heapGrowthPercent);
  return { access: 'write', bulk: true, collect: true, config };
}
