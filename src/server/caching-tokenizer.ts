import { PiiTokenizer, type PiiKind } from '../privacy/pii-tokenizer.js';

/** Values remembered: a console page names a few hundred people; the bound keeps memory flat. */
const MAX_ENTRIES = 50_000;

/**
 * The PII tokenizer with each value's token remembered: one HMAC per person and address rather than
 * one per appearance (an alerts list names the same people in titles, descriptions, entities and
 * stories). The tokens are the same as the plain tokenizer's; only the work is saved. The values
 * live in this process's memory, as the requests that carried them did.
 */
export class CachingTokenizer extends PiiTokenizer {
  readonly #cache = new Map<string, string>();

  override token(kind: PiiKind, value: string): string {
    const key = `${kind}\u0000${value}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const token = super.token(kind, value);
    if (this.#cache.size >= MAX_ENTRIES) this.#cache.clear();
    this.#cache.set(key, token);
    return token;
  }
}
