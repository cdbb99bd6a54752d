/**
 * One shared copy per distinct key, for values many state entries repeat (a person's name, a user
 * agent, an address): every event parses its own copy of each, and a detector that keeps them per
 * session or per event would hold thousands of equal strings. Cleared when it holds `max` keys, so
 * it stays bounded; what it handed out stays valid.
 */
export class Interner<V> {
  readonly #known = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The copy first interned under `key`, or `value`, which becomes it. */
  intern(key: string, value: V): V {
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    if (this.#known.size >= this.max) this.#known.clear();
    this.#known.set(key, value);
    return value;
  }
}

/** Strings interned as themselves. */
export class StringInterner extends Interner<string> {
  /** `text`'s shared copy (null stays null). */
  string<T extends string | null>(text: T): T {
    return (text === null ? null : this.intern(text, text)) as T;
  }
}
