import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, subjectUser, userEntity, type Detector } from './detector.js';
import { StateMap } from './state-map.js';

const RESETS = new Set(['user.mfa.factor.reset_all', 'user.mfa.factor.deactivate']);
const ENROLLS = new Set(['user.mfa.factor.activate', 'device.enrollment.create']);
const SENSITIVE = new Set([
  'user.account.privilege.grant',
  'group.privilege.grant',
  'app.oauth2.client.privilege.grant',
  'system.api_token.create',
  'system.idp.lifecycle.create',
  'system.idp.lifecycle.update',
  'policy.rule.update',
  'policy.lifecycle.update',
  'user.lifecycle.create',
  'system.log_stream.lifecycle.deactivate',
]);
const WINDOW_MS = 24 * 3_600_000;

interface Chain {
  resetId: string;
  resetAt: number;
  enrollId?: string;
}

/**
 * The 2023 help-desk pattern (okta-api.md §4.5) as one chain per user: factors reset, a new factor
 * enrolled, then a sensitive admin action by that user, all within 24 hours. Each step alone is
 * routine; the sequence is an account takeover.
 */
export class MfaResetChainDetector implements Detector {
  readonly id = 'vigil-mfa-reset-chain';
  readonly title = 'MFA reset, new factor, then a sensitive action by the same user';
  readonly #chains = new StateMap<Chain>({ max: 100_000, keepMs: WINDOW_MS, timeOf: (c) => c.resetAt });
  readonly state = { chains: this.#chains };

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    if (RESETS.has(event.eventType)) {
      const user = subjectUser(event);
      if (user) this.#chains.set(user.id, { resetId: event.uuid, resetAt: timeMs });
      return [];
    }
    if (event.actor.type !== 'User') return [];
    const chain = this.#chains.get(event.actor.id);
    if (!chain || timeMs - chain.resetAt > WINDOW_MS) return [];
    if (ENROLLS.has(event.eventType)) {
      chain.enrollId = event.uuid;
      this.#chains.touch(event.actor.id);
      return [];
    }
    if (!chain.enrollId || !SENSITIVE.has(event.eventType)) return [];
    this.#chains.delete(event.actor.id);
    const user = actorOf(event);
    return [
      detectorHit(this, timeMs, {
        severity: 'critical',
        entity: userEntity(user),
        description: `${user.display}'s factors were reset, a new factor was enrolled, and then ${event.eventType} was performed, within ${Math.round((timeMs - chain.resetAt) / 60_000)} minutes. This is how the 2023 help-desk social-engineering attacks took over admin accounts. Suspend the account, revert the action, and verify the reset request with the person.`,
        eventIds: [chain.resetId, chain.enrollId, event.uuid],
        dedupOn: [user.id, chain.resetId],
      }),
    ];
  }
}
