import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { Detection } from '../detection.js';
import { actorOf, detectorHit, type Detector } from './detector.js';

/** What a policy rule asks of a sign-in, as far as a downgrade is concerned. */
interface Assurance {
  readonly factorMode?: string;
  readonly phishingResistant: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON string or an object; anything else (or bad JSON: this is provider input) is nothing. */
function asObject(v: unknown): Record<string, unknown> | undefined {
  if (isObject(v)) return v;
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One side of `changeDetails` (okta-catalog authentication_policy_mfa_downgrade): Okta writes the
 * rule's actions as a JSON string `policyRuleActionJson` holding
 * `appSignOn.verificationMethod.{factorMode, constraints}`; the object form is accepted too.
 */
function assuranceOf(side: unknown): Assurance | undefined {
  const outer = asObject(side);
  if (!outer) return undefined;
  const actions = asObject(outer['policyRuleActionJson']) ?? outer;
  const method = asObject(asObject(actions['appSignOn'])?.['verificationMethod']) ?? actions;
  const factorMode = typeof method['factorMode'] === 'string' ? method['factorMode'] : undefined;
  const constraints = Array.isArray(method['constraints']) ? method['constraints'] : [];
  const phishingResistant = constraints.some((c) =>
    Object.values(isObject(c) ? c : {}).some((k) => isObject(k) && k['phishingResistant'] === 'REQUIRED'),
  );
  return factorMode === undefined && !phishingResistant ? undefined : { factorMode, phishingResistant };
}

/**
 * Authentication policy weakened (okta-api.md §3, the catalog's "MFA downgrade"): a policy rule
 * changed from two factors to one, or stopped requiring a phishing-resistant factor. Attackers with
 * an admin session do this to keep access without the second factor (2023 cross-tenant campaign).
 * Sigma cannot say it: the before and after live in a JSON string inside the target's changeDetails.
 */
export class PolicyDowngradeDetector implements Detector {
  readonly id = 'vigil-policy-mfa-downgrade';
  readonly title = 'Authentication policy downgraded (fewer or weaker factors)';

  process(event: OktaLogEvent, timeMs: number): Detection[] {
    if (event.eventType !== 'policy.rule.update') return [];
    for (const target of event.target ?? []) {
      const change = target.changeDetails;
      if (!isObject(change)) continue;
      const from = assuranceOf(change['from']);
      const to = assuranceOf(change['to']);
      if (!from || !to) continue;
      const fewer = from.factorMode === '2FA' && to.factorMode === '1FA';
      const weaker = from.phishingResistant && !to.phishingResistant;
      if (!fewer && !weaker) continue;
      const who = actorOf(event).display;
      const rule = target.displayName ?? target.id;
      const what = fewer ? 'from two factors to one' : 'so it no longer requires a phishing-resistant factor';
      return [
        detectorHit(this, timeMs, {
          severity: 'high',
          entity: { type: 'policy-rule', id: target.id, display: rule },
          description: `${who} changed the policy rule "${rule}" ${what}. Attackers with an admin session weaken sign-on policies to keep access without MFA. Confirm the change with a change ticket; if there is none, restore the rule and review ${who}'s session.`,
          eventIds: [event.uuid],
          dedupOn: [target.id],
        }),
      ];
    }
    return [];
  }
}
