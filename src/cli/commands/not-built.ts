import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';

/** Registers a command whose capability has not landed yet: it says so plainly and exits 2. */
export function registerNotBuilt(program: Command, name: string, description: string): void {
  program
    .command(name)
    .description(`${description} (not built yet)`)
    .allowUnknownOption()
    .action(() => {
      throw new VigilError('NOT_BUILT', `'vigil ${name}' is not built yet`, { category: 'input' });
    });
}
