import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** `vigil incident export ID --share --out DIR` (below). */
export function registerIncidentExport(_incident: Command, _ctx: CliContext): void {}
