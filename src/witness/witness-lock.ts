import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { VigilError } from '../core/vigil-error.js';
import type { WitnessErrorCode } from './errors.js';

/**
 * One witness process per state file: two would each check against their own copy of the latest
 * size, and one could cosign a rollback the other had already refused (the race tlog-witness spells
 * out). The lock file holds the owner's pid; one whose process is gone (killed) is taken over.
 */
export function acquireWitnessLock(file: string): { release(): void } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(owner) && owner > 0 && isAlive(owner))
      throw new VigilError<WitnessErrorCode>(
        'WITNESS_STATE_LOCKED',
        `another witness (pid ${owner}) is serving from this data directory (${file}); stop it first`,
        { category: 'input', details: { file } },
      );
    rmSync(file, { force: true });
  }
  throw new VigilError<WitnessErrorCode>('WITNESS_STATE_LOCKED', `cannot take ${file}`, {
    category: 'input',
    details: { file },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
