import type { CommandRegistrar } from '../cli-context.js';
import { registerAlerts } from './alerts.js';
import { registerNotBuilt } from './not-built.js';
import { registerSimCommand } from './sim.js';

/** Every `vigil` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandRegistrar[] = [
  (p) => registerNotBuilt(p, 'demo', 'run the simulator, collect, verify and detect in one command'),
  registerSimCommand,
  (p) => registerNotBuilt(p, 'source', 'add, list or remove sources'),
  (p) => registerNotBuilt(p, 'collect', 'pull events from every configured source'),
  (p) => registerNotBuilt(p, 'events', 'search stored events'),
  (p) => registerNotBuilt(p, 'verify', 'verify the whole custody store'),
  (p) => registerNotBuilt(p, 'ledger', 'ledger keys, checkpoints and proofs'),
  (p) => registerNotBuilt(p, 'detect', 'run detections over a file of events'),
  registerAlerts,
];
