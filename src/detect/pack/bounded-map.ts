/**
 * A bounded map: once `max` is reached, the oldest tenth of the keys goes at once. Evicting one key
 * at a time through `keys().next()` would cost more with every eviction: V8 walks the slots of
 * deleted entries at the front of the table until it next rehashes.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      let evict = Math.max(1, Math.floor(this.max / 10));
      for (const oldest of this.keys()) {
        this.delete(oldest);
        if (--evict === 0) break;
      }
    }
    return super.set(key, value);
  }
}
