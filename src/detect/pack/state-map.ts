import { BoundedMap } from './bounded-map.js';

/** How a state map's values become JSON text and back (a Set becomes an array, say). */
export interface StateCodec<V> {
  encode(value: V): unknown;
  decode(json: unknown): V;
}

const AS_IS: StateCodec<never> = { encode: (v) => v, decode: (j) => j as never };

export interface StateMapOptions<V> {
  /** At most this many keys (the oldest go first: BoundedMap). */
  readonly max: number;
  /** An entry whose time is older than this before the newest event can no longer matter: it goes. */
  readonly keepMs?: number;
  /** The time an entry is judged by, with `keepMs`. */
  readonly timeOf?: (value: V) => number;
  readonly codec?: StateCodec<V>;
}

/** One key of a state map that changed since the state was last saved: its new JSON, or gone. */
export interface StateChange {
  readonly key: string;
  readonly json: string | undefined;
}

/** What the pipeline asks of a detector's state: age it, take what changed, load what was saved. */
export interface KeyedState {
  expire(nowMs: number): void;
  takeChanges(): StateChange[];
  load(key: string, json: string): void;
}

/**
 * A detector's state per key (user, session, factor), bounded in size and, where the detector's
 * window allows, in age; it records which keys changed so the feed saves only those, with its mark,
 * instead of replaying history at every start. A value changed in place must be `touch`ed.
 */
export class StateMap<V> extends BoundedMap<string, V> implements KeyedState {
  readonly #changed = new Set<string>();
  readonly #codec: StateCodec<V>;

  constructor(private readonly options: StateMapOptions<V>) {
    super(options.max);
    this.#codec = options.codec ?? (AS_IS as StateCodec<V>);
  }

  override set(key: string, value: V): this {
    this.#changed.add(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#changed.add(key);
    return super.delete(key);
  }

  /** A value changed in place. */
  touch(key: string): void {
    this.#changed.add(key);
  }

  /** Drops entries too old to matter at `nowMs` (the newest event's time). */
  expire(nowMs: number): void {
    const { keepMs, timeOf } = this.options;
    if (keepMs === undefined || timeOf === undefined) return;
    for (const [key, value] of this) if (timeOf(value) < nowMs - keepMs) this.delete(key);
  }

  /** What changed since the last call, as JSON text per key. */
  takeChanges(): StateChange[] {
    const out: StateChange[] = [];
    for (const key of this.#changed) {
      const value = super.get(key);
      out.push({
        key,
        json: value === undefined && !super.has(key) ? undefined : JSON.stringify(this.#codec.encode(value!)),
      });
    }
    this.#changed.clear();
    return out;
  }

  /** Loads saved entries (from `takeChanges`), as unchanged. */
  load(key: string, json: string): void {
    super.set(key, this.#codec.decode(JSON.parse(json)));
    this.#changed.delete(key);
  }
}
