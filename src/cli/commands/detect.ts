import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import type { Detection } from '../../detect/detection.js';
import { DetectionPipeline } from '../../detect/pipeline/detection-pipeline.js';
import { oktaLogEventSchema, type OktaLogEvent } from '../../sources/okta/log-event.js';
import type { CliContext, CommandRegistrar } from '../cli-context.js';
import { MiB, readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';

/**
 * The largest `--input` read: every event is held in memory to be sorted, and past V8's largest
 * string (~512 MiB) a read fails anyway. Larger exports are split, or collected into a store.
 */
export const DETECT_INPUT_MAX_BYTES = 256 * MiB;

/** Reads a JSONL file of Okta events; a bad line is an input error naming the line. */
export function readEventsFile(file: string): OktaLogEvent[] {
  const text = readRegularTextFile(file, DETECT_INPUT_MAX_BYTES);
  const events: OktaLogEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new VigilError('CLI_BAD_EVENT', `${file}:${i + 1}: not valid JSON`, { category: 'input' });
    }
    const parsed = oktaLogEventSchema.passthrough().safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new VigilError(
        'CLI_BAD_EVENT',
        `${file}:${i + 1}: ${issue.path.join('.') || 'event'}: ${issue.message}`,
        { category: 'input' },
      );
    }
    events.push(parsed.data as OktaLogEvent);
  });
  return events.sort((a, b) => a.published.localeCompare(b.published));
}

export const detectionJson = (d: Detection) => ({
  rule: { id: d.ruleId, title: d.title },
  severity: d.severity,
  events: d.eventIds,
  entity: d.entity,
  time: new Date(d.timeMs).toISOString(),
  description: d.description,
});

/** `vigil detect --input FILE.jsonl [--rules DIR] --json`: the pack over a file, no store. */
export const registerDetectCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('detect')
    .description('run the detection pack (and extra Sigma rules) over a JSONL file of Okta events')
    .requiredOption('--input <file>', 'JSON lines of Okta System Log events')
    .option(
      '--rules <dir>',
      'extra Sigma rules (file or folder, repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--json', 'print the detections as JSON')
    .action(async (flags: { input: string; rules: string[]; json?: boolean }) => {
      const events = readEventsFile(path.resolve(ctx.cwd, flags.input));
      const pipeline = await DetectionPipeline.create({
        extraRuleDirs: flags.rules.map((r) => path.resolve(ctx.cwd, r)),
      });
      const detections = pipeline.detectAll(events);
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(detections.map(detectionJson), null, 2) + '\n');
        return;
      }
      for (const d of detections) {
        // Titles come from rule files, entities from events: both pass through safeText.
        ctx.stdout.write(
          `${new Date(d.timeMs).toISOString()}  ${d.severity.padEnd(13)} ${safeText(d.title)}  [${safeText(d.entity.display ?? d.entity.id)}]  ${d.eventIds.length} event(s)\n`,
        );
      }
      ctx.stdout.write(`${detections.length} detection(s) over ${events.length} events\n`);
    });
};
