import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertView } from '../../alerts/alert-view.js';
import { VigilError } from '../../core/vigil-error.js';
import { eventsById } from '../../custody/events-by-id.js';
import { PII_TOKEN } from '../../privacy/pii-tokenizer.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { entityPii } from '../console-alert.js';
import { requestInput } from '../request-input.js';

const revealBody = z.object({
  token: z.string().regex(PII_TOKEN, 'a token such as user:0123456789abcdef'),
  context: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('event'),
      source: z.string().min(1).max(200),
      id: z.string().min(1).max(200),
    }),
    z.object({ kind: z.literal('alert'), id: z.string().min(1).max(200) }),
  ]),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
});
type RevealContext = z.infer<typeof revealBody>['context'];

const parse = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/**
 * The raw value behind a token, found only in the record the token was shown on (an event, or an
 * alert with its triggering events): a reveal cannot be used to look a token up across the store.
 */
async function revealIn(
  services: ConsoleServices,
  token: string,
  context: RevealContext,
): Promise<string | undefined> {
  const { runtime, tokenizer } = services;
  if (context.kind === 'event') {
    const [event] = await eventsById(runtime.store.db, [context.id], context.source);
    return event ? tokenizer.reveal(parse(event.raw), token) : undefined;
  }
  const alert = await services.alerts.get(context.id);
  if (!alert) return undefined;
  for (const { kind, raw } of entityPii(alert.entity)) if (tokenizer.token(kind, raw) === token) return raw;
  const inView = tokenizer.reveal(alertView(alert), token);
  if (inView !== undefined) return inView;
  for (const event of await eventsById(runtime.store.db, alert.eventIds, alert.source)) {
    const found = tokenizer.reveal(parse(event.raw), token);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `POST /api/v1/reveal`: an analyst or admin reveals one value with a reason. The audit record (who,
 * which token, where, why, when) is written before the value is sent: a reveal not in the log did
 * not happen. The log keeps the token, never the value.
 */
export function registerRevealRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/reveal',
    access: 'analyst',
    reveals: true,
    handler: async (request) => {
      const body = requestInput(revealBody, request.body, 'body');
      const value = await revealIn(services, body.token, body.context);
      if (value === undefined)
        throw new VigilError(
          'CONSOLE_REVEAL_NOT_FOUND',
          `${body.token} is not shown on that ${body.context.kind}`,
          {
            category: 'input',
            details: { token: body.token },
          },
        );
      const where =
        body.context.kind === 'event'
          ? `event:${body.context.source}/${body.context.id}`
          : `alert:${body.context.id}`;
      const audit = await services.audit.record({
        actor: request.principal!.name,
        action: 'console.reveal',
        target: where,
        reason: services.tokenizer.tokenizeText(body.reason),
        details: { token: body.token, via: request.principal!.via },
      });
      return { token: body.token, value, audit: { id: audit.id, time: audit.time } };
    },
  });
}
