import { isVigilError } from '../core/vigil-error.js';
import { EVENT_COLUMN_NAMES } from '../sources/event-columns.js';
import type { PageFormat, RawEvent } from '../sources/page-format.js';
import type { Finding } from './verification-report.js';

/** A finding about one event; the caller adds the source (leaf-check.ts's LeafFinding). */
type EventFinding = Omit<Finding, 'source'>;

/**
 * The stored query columns of one event, in `EVENT_COLUMN_NAMES` order, as the store hands them
 * over (an array, not an object: one per event of a range, on the hot path).
 */
export type StoredColumns = readonly unknown[];

/**
 * Searches, reports and detection read an event's query columns, not its verbatim JSON; an attacker
 * who can write the store could change `actor_alternate_id` or `event_type` and hide the event from
 * every search while its bytes (and so its leaf) stay intact. So every column is re-derived from the
 * verbatim event with the format custody derived it with (the source's `PageFormat`) and compared,
 * value and type (`===`): one finding per column that differs, naming the event, the column, and
 * both values. Returns the event as the format checked it (parsed once, for `--deep` to reuse), or
 * undefined when it no longer passes the format's check (reported).
 */
export function checkEventColumns(
  text: string,
  stored: StoredColumns,
  format: PageFormat,
  at: { readonly leafIndex: number; readonly eventId: string },
  sink: { add(finding: EventFinding): void },
): RawEvent | undefined {
  let event: RawEvent;
  try {
    event = format.check(text, 0);
  } catch (error) {
    if (!isVigilError(error)) throw error;
    sink.add({
      code: 'EVENT_UNPARSEABLE',
      ...at,
      message: `event ${at.eventId}: stored JSON no longer passes the ${format.name} format's check: ${error.message}`,
    });
    return undefined;
  }
  const derived = format.columns(event);
  for (let i = 0; i < EVENT_COLUMN_NAMES.length; i++) {
    const column = EVENT_COLUMN_NAMES[i]!;
    const want = derived[column];
    const have = stored[i];
    if (have === want) continue;
    sink.add({
      code: 'EVENT_COLUMN_MISMATCH',
      ...at,
      column,
      message: `event ${at.eventId}: column ${column} is stored as ${show(have)}, the verbatim event gives ${show(want)}`,
    });
  }
  return event;
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));
