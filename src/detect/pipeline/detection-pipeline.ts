import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { asSeverity } from '../severity.js';
import type { Detector } from '../pack/detector.js';
import { hasDetectorShape } from './event-shape.js';
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

/** Recent events kept to name the entity of a Sigma hit (by the id of its last event). */
const REMEMBERED = 50_000;

/**
 * Every event, in stream order, through the Sigma rules (compiled once) and the stateful detectors.
 * Times are the events' own `published` times, so a replay gives the same detections.
 */
export class DetectionPipeline {
  readonly #byId = new Map<string, OktaLogEvent>();
  /** Insertion order of #byId as a ring, so evicting the oldest is O(1). */
  readonly #order: string[] = new Array<string>(REMEMBERED);
  #next = 0;

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
    const shaped = hasDetectorShape(event);
    // A misshapen event names no entity for Sigma hits (their alert is org-wide) and skips the detectors.
    if (shaped) this.#remember(event);
    const out: Detection[] = [];
    for (const hit of this.sigma.evaluate(event, { timeMs, id: event.uuid })) out.push(this.#fromSigma(hit));
    if (shaped) for (const detector of this.detectors) out.push(...detector.process(event, timeMs));
    return out;
  }

  /** Closes correlation windows that end by `timeMs` (end of a batch or of a file). */
  flush(timeMs: number): Detection[] {
    return this.sigma.flush(timeMs).map((hit) => this.#fromSigma(hit));
  }

  #remember(event: OktaLogEvent) {
    if (this.#byId.has(event.uuid)) return;
    // Not `keys().next()` on the map: after deletions at its front, V8 walks every deleted slot to
    // find the first live one, which made each event cost more as the stream went on.
    const oldest = this.#order[this.#next];
    if (oldest !== undefined) this.#byId.delete(oldest);
    this.#order[this.#next] = event.uuid;
    this.#next = (this.#next + 1) % REMEMBERED;
    this.#byId.set(event.uuid, event);
  }

  #fromSigma(hit: SigmaHit): Detection {
    const first = this.#byId.get(hit.eventIds[hit.eventIds.length - 1] ?? '');
    const user = first ? subjectUser(first) : undefined;
    const groupValue = hit.group ? Object.values(hit.group).join(',') : undefined;
    const entity = groupValue
      ? { type: Object.keys(hit.group!).join(','), id: groupValue }
      : user
        ? { type: 'user', id: user.id, display: user.display }
        : { type: 'org', id: 'org' };
    return {
      ruleId: hit.rule.id,
      title: hit.rule.title,
      severity: asSeverity(hit.rule.level),
      entity,
      description: hit.rule.description ?? hit.rule.title,
      eventIds: hit.eventIds,
      timeMs: hit.timeMs,
      dedupKey: `${hit.rule.id}:${entity.id}`,
    };
  }
}
