import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { defaultCliContext } from '../../src/cli/cli-context.js';
import { COMMANDS, commandNameOf, registrarsFor, type LazyCommand } from '../../src/cli/commands/index.js';
import { runVigil } from './cli-harness.js';

// Issue 20: `vigil` loads only the command it runs (and what that imports), so `collect --once`
// from cron does not pay for the simulator, the console's web server or the report renderer.
const lazy = COMMANDS.filter((e): e is LazyCommand => typeof e !== 'function');

describe('commands loaded on demand', () => {
  it('each lazy entry registers exactly the top-level commands it names', async () => {
    const ctx = defaultCliContext(new AbortController().signal);
    for (const entry of lazy) {
      const program = new Command('vigil');
      (await entry.load())(program, ctx);
      expect(
        program.commands.map((c) => c.name()),
        entry.names.join(','),
      ).toEqual(entry.names);
    }
    const all = lazy.flatMap((e) => e.names);
    expect(new Set(all).size).toBe(all.length);
  });

  it('finds the command after the global options', () => {
    expect(commandNameOf(['node', 'vigil', '--data', 'collect', 'verify', '--json'])).toBe('verify');
    expect(commandNameOf(['node', 'vigil', '--data=x', 'collect', '--once'])).toBe('collect');
    expect(commandNameOf(['node', 'vigil', '--help'])).toBe(undefined);
    expect(commandNameOf(['node', 'vigil'])).toBe(undefined);
  });

  it('loads the named command alone, and every command for help or a name it does not know', async () => {
    expect(await registrarsFor(['node', 'vigil', 'verify-bundle', 'dir'])).toHaveLength(1);
    expect(await registrarsFor(['node', 'vigil', 'collect', '--once'])).toHaveLength(1);
    expect(await registrarsFor(['node', 'vigil', '--help'])).toHaveLength(COMMANDS.length);
    expect(await registrarsFor(['node', 'vigil', 'help', 'collect'])).toHaveLength(COMMANDS.length);
    expect(await registrarsFor(['node', 'vigil', 'colect'])).toHaveLength(COMMANDS.length);
    expect(await registrarsFor(['node', 'vigil', '--version'])).toHaveLength(0);
    expect(await registrarsFor(['node', 'vigil', '-V'])).toHaveLength(0);
    expect(await registrarsFor(['node', 'vigil', 'collect', '--version'])).toHaveLength(1);
    expect(await registrarsFor(['node', 'vigil', '-V', '-h'])).toHaveLength(COMMANDS.length);
    // A plain registrar (not lazy) is always there.
    const plain = (program: Command) => void program.command('plain');
    expect(await registrarsFor(['node', 'vigil', 'collect'], [plain, ...COMMANDS])).toHaveLength(2);
  });

  it("vigil --help still lists every command; a command's own help and a misspelt name still work", async () => {
    const help = await runVigil(['--help']);
    expect(help.code).toBe(0);
    for (const name of lazy.flatMap((e) => e.names))
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const own = await runVigil(['--data', '/nonexistent', 'collect', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Usage: vigil collect');
    const version = await runVigil(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const typo = await runVigil(['colect']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(Did you mean collect?)');
  });
});
