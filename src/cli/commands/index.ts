import type { CommandRegistrar } from '../cli-context.js';
import { registerAlerts } from './alerts.js';
import { registerDetectCommand } from './detect.js';
import { registerSimCommand } from './sim.js';
import { registerDemoCommand } from './demo.js';
import { registerLedgerCommand } from './ledger.js';
import { registerExportCommands } from './export.js';
import { registerVerifyCommand } from './verify.js';
import { registerEventsCommand } from './events.js';
import { registerCollectCommand } from './collect.js';
import { registerSourceCommand } from './source.js';
import { registerPostureCommand } from './posture.js';
import { registerConfigCommand } from './config.js';
import { registerWitnessCommand } from './witness.js';
import { registerCanaryCommand } from './canary.js';
import { registerServeCommand } from './serve.js';
import { registerUserCommand } from './user.js';
import { registerAuditCommand } from './audit.js';
import { registerSupportCommand } from './support.js';
import { registerDrillCommand } from './drill.js';

/** Every `vigil` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandRegistrar[] = [
  registerDemoCommand,
  registerSimCommand,
  registerSourceCommand,
  registerConfigCommand,
  registerCollectCommand,
  registerEventsCommand,
  registerVerifyCommand,
  registerLedgerCommand,
  registerExportCommands,
  registerDetectCommand,
  registerAlerts,
  registerPostureCommand,
  registerCanaryCommand,
  registerServeCommand,
  registerWitnessCommand,
  registerAuditCommand,
  registerUserCommand,
  registerSupportCommand,
  registerDrillCommand,
];
