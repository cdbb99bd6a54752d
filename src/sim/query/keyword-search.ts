import { validationFailed } from '../errors.js';

/**
 * `q`: space-separated keywords, all must match, case-insensitive; at most 10 keywords of at most 40
 * characters each (research/okta-api.md §1.2). Hyphenated values also match by their parts.
 */
export function parseKeywords(q: string | undefined): string[] {
  if (q === undefined || q.trim() === '') return [];
  const words = q.trim().split(/\s+/);
  if (words.some((w) => w.length > 40)) {
    throw validationFailed("'q': Freeform search cannot contain items longer than 40 characters");
  }
  if (words.length > 10) throw validationFailed("'q': Freeform search cannot contain more than 10 items");
  return words.map((w) => w.toLowerCase());
}

/** Every string and number value in the event, lower-cased, joined: what keywords match against. */
export function searchableText(event: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v.toLowerCase());
    else if (typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(event);
  return parts.join('\u0000');
}

export const matchesKeywords = (keywords: readonly string[], text: string): boolean =>
  keywords.every((k) => text.includes(k));
