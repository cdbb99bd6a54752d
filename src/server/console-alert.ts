import type { Alert } from '../alerts/alert.js';
import { alertView, type AlertView } from '../alerts/alert-view.js';
import { summariseEvent, type EventSummary } from '../alerts/event-summary.js';
import type { PiiKind, PiiTokenizer } from '../privacy/pii-tokenizer.js';

/** An alert as the console shows it: the public alert JSON, its assignee, and who it is about as tokens. */
export interface ConsoleAlert extends AlertView {
  readonly assignee: string | null;
}

/**
 * The personal data an alert's entity holds, by kind. Detections name a user entity by login or
 * display name and a session by its user's: neither key says so (`display`), so the console says it
 * here rather than hoping a text scan finds every name.
 */
export function entityPii(entity: Alert['entity']): { kind: PiiKind; raw: string }[] {
  const found: { kind: PiiKind; raw: string }[] = [];
  const type = entity.type.toLowerCase();
  if (type === 'ip') found.push({ kind: 'ip', raw: entity.id });
  if ((type === 'user' || type === 'session') && entity.display)
    found.push({ kind: entity.display.includes('@') ? 'user' : 'name', raw: entity.display });
  return found;
}

/** The alert with its entity's personal data tokenised; the rest is tokenised with every answer. */
export function consoleAlert(alert: Alert, tokenizer: PiiTokenizer, assignee: string | null): ConsoleAlert {
  const view = alertView(alert);
  let entity = { ...view.entity };
  for (const { kind, raw } of entityPii(alert.entity)) {
    if (entity.id === raw) entity = { ...entity, id: tokenizer.token(kind, raw) };
    if (entity.display === raw) entity = { ...entity, display: tokenizer.token(kind, raw) };
  }
  return { ...view, entity, assignee };
}

/** An event in a listing: its summary taken from the event already tokenised, so actor and targets are tokens. */
export function consoleEventSummary(id: string, raw: string, tokenizer: PiiTokenizer): EventSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return summariseEvent(id, tokenizer.tokenizeText(raw));
  }
  return summariseEvent(id, JSON.stringify(tokenizer.tokenizeEvent(parsed)));
}
