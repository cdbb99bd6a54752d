import { z } from 'zod';
import type { Random } from '../../core/seeded-random.js';
import type { OktaLogEvent, OktaTarget } from '../../sources/okta/log-event.js';
import type { ConfigModel, ConfigObject } from '../config/config-model.js';
import { OktaApiError } from '../errors.js';
import type { EventFactory } from '../events/event-factory.js';
import type { SimUser } from '../org/sim-org.js';

const CASES = '/api/v1/org/privacy/oktaSupport/cases';

const openCaseInput = z
  .object({
    subject: z.string().min(1).max(200).default('Support request'),
    /** An Okta agent opened the case and assigned it to themselves: a customer's approval is needed. */
    selfAssigned: z.boolean().default(false),
  })
  .strict();

const activityInput = z
  .object({
    action: z.enum(['initiate', 'end', 'view', 'update', 'reset_password', 'reset_factors']),
    /** The case the agent works under; absent: an action no case names (what Vigil must catch). */
    caseNumber: z
      .string()
      .regex(/^[0-9]{1,16}$/)
      .optional(),
    /** The user a reset is about (id or login); default: the impersonated admin. */
    user: z.string().min(1).max(200).optional(),
    /** What the support tool did (`debugContext.debugData.supportAction`). */
    supportAction: z.string().min(1).max(200).optional(),
  })
  .strict();

export type SupportActivity = z.input<typeof activityInput>;

/**
 * Okta Support's side of the org, for tests and drills (`POST /sim/support-cases`,
 * `POST /sim/support-activity`): the cases an agent opens, and what an agent does in the tenant,
 * with the System Log events Okta writes for it (okta-api.md §3: `user.session.impersonation.initiate`
 * and `.end`, `support.org.view` and `.update` with `debugData.supportAction`, and resets made through
 * the support tool: actor Okta System, `transaction.id` "unknown", no client). The simulator does not
 * refuse an agent who acts without a grant: a provider whose staff misbehave is what Vigil checks for.
 */
export class SupportDesk {
  constructor(
    private readonly deps: {
      readonly model: ConfigModel;
      readonly random: Random;
      readonly now: () => number;
      readonly events: EventFactory;
      /** The admin an impersonation session runs as (the org's first super admin). */
      readonly admin: SimUser;
      readonly emit: (event: OktaLogEvent) => void;
    },
  ) {}

  /** A new case, as Okta's support system opens it; self-assigned cases wait for an approval. */
  openCase(body: unknown): ConfigObject {
    const input = parse(openCaseInput, body ?? {});
    let caseNumber: string;
    do caseNumber = String(this.deps.random.int(10_000_000, 99_999_999));
    while (this.deps.model.get(`${CASES}/${caseNumber}`));
    const object: ConfigObject = {
      caseNumber,
      subject: input.subject,
      impersonation: { status: input.selfAssigned ? 'REQUESTED' : 'NOT_REQUESTED', expiration: null },
      selfAssigned: { status: input.selfAssigned ? 'REQUESTED' : 'NOT_REQUIRED' },
    };
    this.deps.model.insert(CASES, object);
    return object;
  }

  /** One thing an agent does in the org, written to the log as Okta writes it. */
  act(body: unknown): OktaLogEvent {
    const input = parse(activityInput, body ?? {});
    const { events, admin } = this.deps;
    const caseData = input.caseNumber === undefined ? {} : { caseNumber: input.caseNumber };
    const caseTarget: OktaTarget[] =
      input.caseNumber === undefined
        ? []
        : [
            {
              id: input.caseNumber,
              type: 'CaseNumber',
              alternateId: 'unknown',
              displayName: input.caseNumber,
              detailEntry: null,
            },
          ];
    const user = input.user === undefined ? admin : this.#user(input.user);
    const base = {
      published: this.deps.now(),
      actor: events.systemActor(),
      transactionId: 'unknown',
    };
    const spec = (() => {
      switch (input.action) {
        case 'initiate':
          return {
            eventType: 'user.session.impersonation.initiate',
            displayMessage: 'Initiate impersonation session',
            legacyEventType: 'core.user.impersonation.session.initiated',
            target: [events.userTarget(admin), ...caseTarget],
            debugData: caseData,
          };
        case 'end':
          return {
            eventType: 'user.session.impersonation.end',
            displayMessage: 'End impersonation session',
            legacyEventType: 'core.user.impersonation.session.ended',
            target: [events.userTarget(admin), ...caseTarget],
            debugData: caseData,
          };
        case 'view':
        case 'update':
          return {
            eventType: `support.org.${input.action}`,
            displayMessage:
              input.action === 'view'
                ? 'Okta has viewed a page which contains customer data'
                : 'Okta has updated the configuration or data within the Org',
            target: caseTarget,
            debugData: {
              ...caseData,
              supportAction: input.supportAction ?? (input.action === 'view' ? 'VIEW_ORG' : 'UPDATE_ORG'),
            },
          };
        case 'reset_password':
          return {
            eventType: 'user.account.reset_password',
            displayMessage: "Reset user's password",
            legacyEventType: 'core.user.config.password_reset',
            target: [events.userTarget(user)],
            debugData: caseData,
          };
        case 'reset_factors':
          return {
            eventType: 'user.mfa.factor.reset_all',
            displayMessage: 'Reset all factors for user',
            legacyEventType: 'core.user.factor.reset_all',
            target: [events.userTarget(user)],
            debugData: caseData,
          };
      }
    })();
    const event = events.build({ ...base, ...spec });
    this.deps.emit(event);
    return event;
  }

  #user(key: string): SimUser {
    const user = this.deps.events.org.users.find((u) => u.id === key || u.login === key.toLowerCase());
    if (!user) throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${key} (User)`);
    return user;
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data as z.output<T>;
  const causes = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw new OktaApiError(400, 'E0000001', `Api validation failed: ${causes[0]!.split(':')[0]}`, causes);
}
