import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interner } from '../interner.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { asSeverity } from '../severity.js';
import { VigilError } from '../../core/vigil-error.js';
import type { Detector, Named } from '../pack/detector.js';
import { hasDetectorShape } from './event-shape.js';
import { hitEntity, templateValues } from './hit-context.js';
import { renderTemplate, type TemplateValues } from '../sigma/alert-template.js';
import { subjectUser } from '../pack/detector.js';
import { ImpossibleTravelDetector } from '../pack/impossible-travel.js';
import { MfaResetChainDetector } from '../pack/mfa-reset-chain.js';
import { NewLocationCredentialChangeDetector } from '../pack/new-location-credential-change.js';
import { PolicyDowngradeDetector } from '../pack/policy-downgrade.js';
import { PushSourceMismatchDetector } from '../pack/push-source-mismatch.js';
import { RapidAppAccessDetector } from '../pack/rapid-app-access.js';
import { SharedFactorDetector } from '../pack/shared-factor.js';
import { SessionReuseDetector } from '../pack/session-reuse.js';
import { loadSigmaRules, SigmaEngine, type LoadOptions, type SigmaHit } from '../sigma/index.js';
import type { DetectionErrorCode } from './errors.js';

/** Vigil's own Sigma rules ship in the package: `rules/vigil` beside `src`/`dist`. */
export const PACK_RULES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'rules',
  'vigil',
);

export const packDetectors = (): Detector[] => [
  new SessionReuseDetector(),
  new ImpossibleTravelDetector(),
  new NewLocationCredentialChangeDetector(),
  new MfaResetChainDetector(),
  new PolicyDowngradeDetector(),
  new SharedFactorDetector(),
  new PushSourceMismatchDetector(),
  new RapidAppAccessDetector(),
];

/**
 * When a finished stream (a file, the demo's history) closes the correlation windows still open: a
 * day after its last event, past any window in the pack.
 */
export const endOfStreamMs = (last: OktaLogEvent): number => Date.parse(last.published) + 86_400_000;

/** Recent events' users kept to name the entity of a Sigma hit (by the id of its last event). */
const REMEMBERED = 50_000;
/** People whose `Named` is shared by their remembered events (see #people). */
const INTERNED = 10_000;

/** One saved piece of a pipeline's state: a key of a detector's state map, or the Sigma state. */
export interface PipelineStateRow {
  /** `<detector id>.<map name>`, or `sigma`. */
  readonly part: string;
  readonly key: string;
  /** Its JSON, or undefined for a key that is gone. */
  readonly json: string | undefined;
}

const SIGMA_PART = 'sigma';

interface SavedSigma {
  readonly correlations: Parameters<SigmaEngine['restoreState']>[0];
  /** The users of the events the open groups hold, to name a hit they complete after a restart. */
  readonly names: Record<string, Named | null>;
}

/**
 * Every event, in stream order, through the Sigma rules (compiled once) and the stateful detectors.
 * Times are the events' own `published` times, so a replay gives the same detections.
 */
export class DetectionPipeline {
  /** The user each recent event names (null: none), not the event: 50,000 events would hold ~100 MB. */
  readonly #names = new Map<string, Named | null>();
  /**
   * One `Named` per person among the remembered events, not one per event: 50,000 events of a
   * thousand people held 100,000 strings and 50,000 objects (about 6 MB live, and V8 grows its heap
   * to several times what is live). Cleared when it holds INTERNED people, so it stays bounded.
   */
  readonly #people = new Interner<Named>(INTERNED);
  /** Insertion order of #names as a ring, so evicting the oldest is O(1). */
  readonly #order: string[] = new Array<string>(REMEMBERED);
  #next = 0;
  /** The newest event time seen: what state ages against. */
  #newestMs = -Infinity;
  /** The Sigma state as last saved, so an unchanged one is not written again. */
  #savedSigma: string | undefined;

  private constructor(
    private readonly sigma: SigmaEngine,
    private readonly detectors: readonly Detector[],
  ) {}

  static async create(
    options: { extraRuleDirs?: readonly string[]; sigma?: LoadOptions } = {},
  ): Promise<DetectionPipeline> {
    return (await DetectionPipeline.factory(options))();
  }

  /** Loads and compiles the rules once; each call of the result is a pipeline with fresh state. */
  static async factory(
    options: { extraRuleDirs?: readonly string[]; sigma?: LoadOptions } = {},
  ): Promise<() => DetectionPipeline> {
    const rules = await loadSigmaRules([PACK_RULES_DIR, ...(options.extraRuleDirs ?? [])], options.sigma);
    return () => new DetectionPipeline(new SigmaEngine(rules), packDetectors());
  }

  /** Every event, in order, then the correlation windows still open closed (`endOfStreamMs`). */
  detectAll(events: readonly OktaLogEvent[]): Detection[] {
    const out: Detection[] = [];
    for (const e of events) out.push(...this.process(e));
    const last = events.at(-1);
    if (last) out.push(...this.flush(endOfStreamMs(last)));
    return out;
  }

  process(event: OktaLogEvent): Detection[] {
    const timeMs = Date.parse(event.published);
    if (timeMs > this.#newestMs) this.#newestMs = timeMs;
    const shaped = hasDetectorShape(event);
    // A misshapen event names no entity for Sigma hits (their alert is org-wide) and skips the detectors.
    if (shaped) this.#remember(event);
    const out: Detection[] = [];
    // A hit whose last event is this one reads its context (templates, entity) from the event itself.
    for (const hit of this.sigma.evaluate(event, { timeMs, id: event.uuid }))
      out.push(this.#fromSigma(hit, shaped && hit.eventIds.at(-1) === event.uuid ? event : undefined));
    if (shaped) for (const detector of this.detectors) out.push(...detector.process(event, timeMs));
    return out;
  }

  /** Closes correlation windows that end by `timeMs` (end of a batch or of a file). */
  flush(timeMs: number): Detection[] {
    return this.sigma.flush(timeMs).map((hit) => this.#fromSigma(hit));
  }

  /**
   * What changed in the state since the last call, for the feed to save with its mark: the keys of
   * each detector's state maps that changed (entries too old to matter dropped first), and the Sigma
   * correlations' open groups when they changed.
   */
  takeStateChanges(): PipelineStateRow[] {
    const rows: PipelineStateRow[] = [];
    for (const detector of this.detectors)
      for (const [name, map] of Object.entries(detector.state ?? {})) {
        map.expire(this.#newestMs);
        for (const { key, json } of map.takeChanges())
          rows.push({ part: `${detector.id}.${name}`, key, json });
      }
    const correlations = this.sigma.saveState(this.#newestMs);
    const names: Record<string, Named | null> = {};
    for (const groups of Object.values(correlations))
      for (const g of groups)
        for (const e of g.entries) for (const id of e.ids) names[id] = this.#names.get(id) ?? null;
    const json = JSON.stringify({ correlations, names } satisfies SavedSigma);
    if (json !== this.#savedSigma) rows.push({ part: SIGMA_PART, key: '', json });
    this.#savedSigma = json;
    return rows;
  }

  /** Loads state saved by `takeStateChanges` (parts of detectors or rules no longer present are ignored). */
  loadState(rows: Iterable<{ part: string; key: string; json: string }>, where: string): void {
    const maps = new Map(
      this.detectors.flatMap((d) =>
        Object.entries(d.state ?? {}).map(([name, map]) => [`${d.id}.${name}`, map]),
      ),
    );
    for (const row of rows) {
      try {
        if (row.part === SIGMA_PART) {
          const saved = JSON.parse(row.json) as SavedSigma;
          this.sigma.restoreState(saved.correlations);
          for (const [id, named] of Object.entries(saved.names)) this.#rememberName(id, named);
          this.#savedSigma = row.json;
        } else maps.get(row.part)?.load(row.key, row.json);
      } catch (error) {
        throw new VigilError<DetectionErrorCode>(
          'DETECT_STATE_UNREADABLE',
          `${where}: saved detector state ${row.part} ${JSON.stringify(row.key)} cannot be read (${(error as Error).message})`,
          { category: 'check', details: { part: row.part, key: row.key }, cause: error },
        );
      }
    }
  }

  #remember(event: OktaLogEvent) {
    this.#rememberName(event.uuid, subjectUser(event) ?? null);
  }

  #rememberName(id: string, named: Named | null) {
    if (this.#names.has(id)) return;
    // Not `keys().next()` on the map: after deletions at its front, V8 walks every deleted slot to
    // find the first live one, which made each event cost more as the stream went on.
    const oldest = this.#order[this.#next];
    if (oldest !== undefined) this.#names.delete(oldest);
    this.#order[this.#next] = id;
    this.#next = (this.#next + 1) % REMEMBERED;
    this.#names.set(id, named && this.#person(named));
  }

  #person(named: Named): Named {
    return this.#people.intern(`${named.id}\n${named.display}`, named);
  }

  #fromSigma(hit: SigmaHit, event?: OktaLogEvent): Detection {
    const named = this.#names.get(hit.eventIds[hit.eventIds.length - 1] ?? '');
    const entity = hitEntity(hit, event, named);
    // Without the event (a correlation window closing later) only the group's user or address is known.
    const values: TemplateValues = event
      ? templateValues(event)
      : entity.type === 'user'
        ? { actor: entity.display ?? entity.id }
        : entity.type === 'ip'
          ? { ip: entity.id }
          : {};
    return {
      ruleId: hit.rule.id,
      title: renderTemplate(hit.rule.title, values),
      severity: asSeverity(hit.rule.level),
      entity,
      description: renderTemplate(hit.rule.description ?? hit.rule.title, values),
      eventIds: hit.eventIds,
      timeMs: hit.timeMs,
      dedupKey: `${hit.rule.id}:${entity.id}`,
    };
  }
}
