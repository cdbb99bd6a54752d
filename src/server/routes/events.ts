import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { VigilError } from '../../core/vigil-error.js';
import { eventsById } from '../../custody/events-by-id.js';
import { searchEvents } from '../../custody/event-search.js';
import { ledgerReads } from '../../custody/ledger-reads.js';
import { inclusionProofToJson } from '../../ledger/proof-json.js';
import { inclusionProof } from '../../ledger/proofs.js';
import { PII_TOKEN } from '../../privacy/pii-tokenizer.js';
import {
  eventPage,
  eventsPage,
  type EventRow,
  type EventsView,
  type EventView,
} from '../../web/events-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { isoMs, requestInput } from '../request-input.js';

const text = z.string().max(500).optional();
const searchQuery = z.object({
  source: text,
  from: text,
  to: text,
  type: text,
  actor: text,
  target: text,
  ip: text,
  outcome: text,
  text,
  /** `<source>/<event uuid>`: the event a token in `actor` or `ip` was shown on (token filters). */
  context: text,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
type SearchQuery = z.infer<typeof searchQuery>;

const eventParams = z.object({ source: z.string().min(1).max(200), id: z.string().min(1).max(200) });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const at = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * A filter value that is a token (what the console shows) is turned back into the value it stands for
 * through the event it was shown on (`context`), so "this actor's events" works without a reveal; a
 * token with no such event is refused, naming the field: tokens are never looked up store-wide.
 */
async function untokenised(
  services: ConsoleServices,
  field: 'actor' | 'ip',
  value: string | undefined,
  context: string | undefined,
): Promise<string | undefined> {
  if (value === undefined || value === '' || !PII_TOKEN.test(value)) return value;
  const slash = context?.indexOf('/') ?? -1;
  if (context === undefined || slash < 1)
    throw new VigilError(
      'CONSOLE_BAD_REQUEST',
      `${field}: a token needs context=<source>/<event id> naming an event it was shown on`,
      { category: 'input', details: { field } },
    );
  const [event] = await eventsById(
    services.runtime.store.db,
    [context.slice(slash + 1)],
    context.slice(0, slash),
  );
  const raw = event ? services.tokenizer.reveal(parse(event.raw), value) : undefined;
  if (raw === undefined)
    throw new VigilError('CONSOLE_BAD_REQUEST', `${field}: the context event does not show that token`, {
      category: 'input',
      details: { field },
    });
  return raw;
}

/** A listed event: its columns taken from the tokenised event, geography kept. */
function eventRow(source: string, raw: string, services: ConsoleServices): EventRow {
  const event = services.tokenizer.tokenizeEvent(parse(raw));
  return {
    source,
    id: str(at(event, 'uuid')) ?? '',
    published: str(at(event, 'published')) ?? '',
    eventType: str(at(event, 'eventType')) ?? '',
    actor: str(at(event, 'actor', 'alternateId')) ?? str(at(event, 'actor', 'id')),
    ip: str(at(event, 'client', 'ipAddress')),
    country: str(at(event, 'client', 'geographicalContext', 'country')),
    city: str(at(event, 'client', 'geographicalContext', 'city')),
    outcome: str(at(event, 'outcome', 'result')),
    summary: str(at(event, 'displayMessage')),
  };
}

export async function searchView(services: ConsoleServices, query: unknown): Promise<EventsView> {
  const q: SearchQuery = requestInput(searchQuery, query, 'query');
  const fromMs = isoMs(q.from, 'from');
  const toMs = isoMs(q.to, 'to');
  const actor = await untokenised(services, 'actor', q.actor, q.context);
  const ip = await untokenised(services, 'ip', q.ip, q.context);
  const found = await searchEvents(services.runtime.store.db, {
    ...(q.source ? { source: q.source } : {}),
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
    ...(q.type ? { type: q.type } : {}),
    ...(actor ? { actor } : {}),
    ...(q.target ? { target: q.target } : {}),
    ...(ip ? { ip } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.text ? { text: q.text } : {}),
    limit: q.limit,
  });
  const events = found.map((f) => eventRow(f.source, f.raw, services));
  return { filter: q, events, timeline: timeline(events) };
}

/** The found events counted per hour (or per day over more than four days), oldest first. */
function timeline(events: readonly EventRow[]): EventsView['timeline'] {
  const times = events.map((e) => Date.parse(e.published)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return { bucketSeconds: 3600, buckets: [] };
  const span = Math.max(...times) - Math.min(...times);
  const bucketMs = span > 4 * 86_400_000 ? 86_400_000 : 3_600_000;
  const counts = new Map<number, number>();
  for (const t of times) {
    const start = Math.floor(t / bucketMs) * bucketMs;
    counts.set(start, (counts.get(start) ?? 0) + 1);
  }
  return {
    bucketSeconds: bucketMs / 1000,
    buckets: [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, count]) => ({ start: new Date(start).toISOString(), count })),
  };
}

/** One event, verbatim but tokenised, with its inclusion proof against the latest checkpoint. */
export async function eventView(services: ConsoleServices, source: string, id: string): Promise<EventView> {
  const { runtime } = services;
  const reads = ledgerReads(runtime.store.db);
  const [event] = await eventsById(runtime.store.db, [id], source);
  if (!event)
    throw new VigilError('CUSTODY_NO_SUCH_EVENT', `no stored event ${id} in ${source}`, {
      category: 'input',
      details: { source, id },
    });
  const leafIndex = await reads.leafOfEvent(source, id);
  const cp = await reads.latestCheckpoint(source);
  const covered = leafIndex < cp.treeSize;
  const proof = covered
    ? inclusionProofToJson({
        treeSize: cp.treeSize,
        rootHash: cp.rootHash,
        leafIndex,
        leafData: await reads.leafData(source, leafIndex),
        proof: await inclusionProof(leafIndex, cp.treeSize, runtime.custody().hashReader(source)),
      })
    : null;
  return {
    source,
    id,
    row: eventRow(source, event.raw, services),
    event: services.tokenizer.tokenizeEvent(parse(event.raw) ?? services.tokenizer.tokenizeText(event.raw)),
    leafIndex,
    proof,
    checkpoint: cp.note,
  };
}

export function registerEventRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/events',
    access: 'viewer',
    handler: (request) => searchView(services, request.query),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/events/:source/:id',
    access: 'viewer',
    handler: (request) => {
      const { source, id } = requestInput(eventParams, request.params, 'path');
      return eventView(services, source, id);
    },
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/events',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        eventsPage(
          services.tokenizer.tokenizeEvent(await searchView(services, request.query)),
          pageUser(request),
        ),
      ),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/events/:source/:id',
    access: 'viewer',
    page: true,
    handler: async (request, reply) => {
      const { source, id } = requestInput(eventParams, request.params, 'path');
      const view = services.tokenizer.tokenizeEvent(await eventView(services, source, id));
      return sendPage(reply, eventPage(view, pageUser(request)));
    },
  });
}
