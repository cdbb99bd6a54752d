import { renameSync, writeFileSync } from 'node:fs';
import type { OktaLogEvent } from '../sources/okta/log-event.js';

/**
 * Writes the simulator's ground truth (`vigil sim --truth FILE`) as JSON lines, whole, replacing the
 * file at once (a temporary file renamed over it): a reader never sees half a rewrite. The simulator
 * rewrites it at start-up, on SIGUSR1 and when it stops, so with live traffic the file ends up
 * holding everything the simulator ever served.
 */
export function writeTruthFile(file: string, events: readonly OktaLogEvent[]): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, events.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
  renameSync(partial, file);
}
