import path from 'node:path';
import type { Command } from 'commander';
import type { Detection } from '../../detect/detection.js';
import { DetectionPipeline } from '../../detect/pipeline/detection-pipeline.js';
import { readLenientEvent } from '../../detect/pipeline/event-shape.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { CliContext, CommandRegistrar } from '../cli-context.js';
import { MiB, readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';
import { severityStyle, terminalOf } from '../terminal.js';
import { formatTable } from '../text-table.js';

/**
 * The largest `--input` read: every event is held in memory to be sorted, and past V8's largest
 * string (~512 MiB) a read fails anyway. Larger exports are split, or collected into a store.
 */
export const DETECT_INPUT_MAX_BYTES = 256 * MiB;

/** The columns of `vigil detect`'s text output; the rule title and entity give way on a narrow terminal. */
const DETECTION_COLUMNS = [
  { header: 'TIME' },
  { header: 'SEVERITY' },
  { header: 'RULE', shrink: true, min: 16 },
  { header: 'ENTITY', shrink: true, min: 10 },
  { header: 'EVENTS' },
];

/** Warnings printed one by one; the rest are counted (a whole export may deviate the same way). */
const WARNINGS_SHOWN = 20;

/** What `detect --input` read: the events in time order, a warning per deviation, the lines skipped. */
export interface EventsFile {
  readonly events: OktaLogEvent[];
  /** `file:line: field: what` for each way a line differs from Okta's exact shape. */
  readonly warnings: string[];
  /** Lines that are not JSON objects at all: the only ones left out. */
  readonly skipped: number;
}

/** An explicit zone (`Z`, `+02:00`, `+0200`) at the end of a time. */
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

/** A `published` time as epoch ms; one without a zone is read as UTC, never the machine's zone. */
function publishedMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reads a JSONL file of Okta events, as exports from other tools give them: every line that is a
 * JSON object is kept and goes through detection, whatever its shape; each deviation from Okta's
 * exact shape is a warning naming the line and the field (event-shape.ts `readLenientEvent`). A
 * line with no id is named after its file and line; one with no readable time is read at the time
 * of the line before it. Only lines that are not JSON objects are skipped, and counted.
 */
export function readEventsFile(file: string): EventsFile {
  const text = readRegularTextFile(file, DETECT_INPUT_MAX_BYTES);
  const read: { event: Record<string, unknown>; timeMs: number | undefined; where: string }[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      warnings.push(`${where}: not valid JSON (line skipped)`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      skipped++;
      warnings.push(`${where}: not a JSON object (line skipped)`);
      return;
    }
    const { event, deviations } = readLenientEvent(value as Record<string, unknown>);
    const timeMs = publishedMs(event['published']);
    for (const d of deviations) {
      if (d.field === 'published' && timeMs !== undefined) {
        warnings.push(
          `${where}: published: not RFC 3339 with an offset; read as ${new Date(timeMs).toISOString()}`,
        );
        event['published'] = new Date(timeMs).toISOString();
      } else if (d.field === 'uuid') {
        event['uuid'] = `${path.basename(file)}:${i + 1}`;
        warnings.push(`${where}: uuid: ${d.message}; named ${String(event['uuid'])}`);
      } else if (d.field !== 'published') warnings.push(`${where}: ${d.field}: ${d.message}`);
    }
    read.push({ event, timeMs, where });
  });
  let previous = read.find((r) => r.timeMs !== undefined)?.timeMs ?? 0;
  for (const r of read) {
    if (r.timeMs !== undefined) {
      previous = r.timeMs;
      continue;
    }
    r.timeMs = previous;
    r.event['published'] = new Date(previous).toISOString();
    warnings.push(
      `${r.where}: published: no readable time; read at ${r.event['published']} (the line before it)`,
    );
  }
  // A stable sort: events at the same instant keep the file's order.
  read.sort((a, b) => a.timeMs! - b.timeMs!);
  return { events: read.map((r) => r.event as unknown as OktaLogEvent), warnings, skipped };
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
      const { events, warnings, skipped } = readEventsFile(path.resolve(ctx.cwd, flags.input));
      for (const w of warnings.slice(0, WARNINGS_SHOWN))
        ctx.stderr.write(`vigil detect: warning: ${safeText(w)}\n`);
      if (warnings.length > WARNINGS_SHOWN)
        ctx.stderr.write(`vigil detect: ... and ${warnings.length - WARNINGS_SHOWN} more warnings\n`);
      if (warnings.length > 0 || skipped > 0)
        ctx.stderr.write(
          `vigil detect: ${events.length} events read, ${warnings.length} warning(s), ${skipped} line(s) skipped as unreadable\n`,
        );
      const pipeline = await DetectionPipeline.create({
        extraRuleDirs: flags.rules.map((r) => path.resolve(ctx.cwd, r)),
      });
      const detections = pipeline.detectAll(events);
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(detections.map(detectionJson), null, 2) + '\n');
        return;
      }
      // Titles come from rule files, entities from events: formatTable passes each through safeText.
      const terminal = terminalOf(ctx.stdout, ctx.env);
      if (detections.length > 0)
        ctx.stdout.write(
          formatTable(
            DETECTION_COLUMNS,
            detections.map((d) => [
              new Date(d.timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
              d.severity,
              d.title,
              d.entity.display ?? d.entity.id,
              String(d.eventIds.length),
            ]),
            {
              width: terminal.width,
              style: (column, padded, cell) =>
                column === 1 ? severityStyle(terminal, cell, padded) : padded,
            },
          ),
        );
      ctx.stdout.write(
        `${detections.length} detection(s) over ${events.length} events${skipped ? `, ${skipped} unreadable line(s) skipped` : ''}\n`,
      );
    });
};
