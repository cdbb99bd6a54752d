import { isVigilError, VigilError } from '../../core/vigil-error.js';
import { searchEvents } from '../../custody/event-search.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { AdminClient, AdminOutcome } from '../../sources/admin-client.js';
import type { Incident } from '../incident/incident.js';
import { adminClientOf } from '../provider-admin.js';
import { IncidentStore } from '../incident/incident-store.js';
import { computeBlastRadius } from '../report/blast-radius.js';
import { incidentOfAction, RESULT_EVENT, type ContainmentAction } from './containment-action.js';
import { ContainmentLedger, type ApprovalRecord, type ResultRecord } from './containment-ledger.js';
import type { ContainmentErrorCode } from './errors.js';
import { planContainment } from './plan-containment.js';
import { priorRulesOf } from './prior-rules.js';

/** A planned action with what has happened to it so far. */
export interface ActionState {
  readonly action: ContainmentAction;
  readonly approval: { readonly by: string; readonly at: string } | null;
  readonly results: readonly ResultRecord[];
  /** `planned` (not approved), `approved` (not yet done), `done`, `refused` (the last attempt). */
  readonly state: 'planned' | 'approved' | 'done' | 'refused';
}

export interface RunReport {
  readonly incident: string;
  readonly executed: boolean;
  readonly steps: readonly {
    readonly actionId: string;
    /** Dry run: `would-run`; executed: the result's outcome; and `skipped` (done before) or `not-approved`. */
    readonly outcome: 'would-run' | 'skipped' | 'not-approved' | ResultRecord['outcome'];
    readonly detail: string;
  }[];
}

export interface ActionStatus extends ActionState {
  /** The provider's System Log events, once collected, that record the action (by type, target and time). */
  readonly providerEvents: readonly {
    readonly uuid: string;
    readonly eventType: string;
    readonly published: string;
  }[];
}

/** Outcomes after which a run leaves the action alone; a refused one is tried again by the next run. */
const DONE = new Set<ResultRecord['outcome']>(['done', 'already-done']);

/**
 * Containment (issue 17): the plan from an incident's blast radius, approvals, runs through the
 * provider's API (dry run unless asked), and the status of each action with the provider's events
 * that record it. Approvals and results are ledgered (`<source>/actions`) and recorded in the audit
 * log (`contain.approve`, `contain.run`); a run only ever does approved actions not yet done, so a
 * second run does nothing already done.
 */
export class ContainmentService {
  constructor(private readonly runtime: Runtime) {}

  get #ledger() {
    return new ContainmentLedger(this.runtime.custody(), this.runtime.options.clock);
  }

  async incident(id: string): Promise<Incident> {
    return new IncidentStore(this.runtime.store.db, this.runtime.auditLog(), this.runtime.options.clock).get(
      id,
    );
  }

  /** The plan with each action's approval and results. */
  async plan(incidentId: string): Promise<{ incident: Incident; actions: ActionState[] }> {
    const incident = await this.incident(incidentId);
    const blast = await computeBlastRadius(this.runtime, incident);
    const planned = planContainment(blast, await priorRulesOf(this.runtime.store.db, blast));
    const records = await this.#ledger.records(incident.source, incident.id);
    // An approved action stays in the plan as approved, even if the blast radius no longer calls for it.
    const approvals = new Map(
      records
        .filter((r): r is ApprovalRecord & { recordId: string; leafIndex: number } => r.type === 'approval')
        .map((r) => [r.action.id, r]),
    );
    const actions = [
      ...planned,
      ...[...approvals.values()].map((a) => a.action).filter((a) => !planned.some((p) => p.id === a.id)),
    ];
    return {
      incident,
      actions: actions.map((action) => {
        const approval = approvals.get(action.id);
        const results = records.filter(
          (r): r is ResultRecord & { recordId: string; leafIndex: number } =>
            r.type === 'result' && r.actionId === action.id,
        );
        const last = results.at(-1);
        return {
          action: approval?.action ?? action,
          approval: approval ? { by: approval.approvedBy, at: approval.at } : null,
          results,
          state: !approval ? 'planned' : !last ? 'approved' : DONE.has(last.outcome) ? 'done' : 'refused',
        };
      }),
    };
  }

  /** Approves actions by id (each must be in its incident's plan); returns which were new. */
  async approve(ids: readonly string[], by: string): Promise<{ approved: string[]; already: string[] }> {
    checkName(by);
    const byIncident = new Map<string, string[]>();
    for (const id of ids) {
      const incident = incidentOfAction(id);
      if (!incident) throw unknownAction(id, 'not an action id (<incident>.<kind>.<target>)');
      byIncident.set(incident, [...(byIncident.get(incident) ?? []), id]);
    }
    const found: ContainmentAction[] = [];
    for (const [incident, wanted] of byIncident) {
      const { actions } = await this.plan(incident);
      for (const id of wanted) {
        const state = actions.find((a) => a.action.id === id);
        if (!state)
          throw unknownAction(
            id,
            `incident ${incident}'s plan has no such action: see vigil contain plan ${incident}`,
          );
        found.push(state.action);
      }
    }
    const approved: string[] = [];
    const already: string[] = [];
    for (const action of found) {
      const isNew = await this.#ledger.approve(action, by);
      (isNew ? approved : already).push(action.id);
      if (isNew)
        await this.runtime.auditLog().record({
          actor: `cli:${by}`,
          action: 'contain.approve',
          target: action.id,
          details: { incident: action.incident, kind: action.kind, target: action.target.id },
        });
    }
    return { approved, already };
  }

  /**
   * Runs the incident's approved actions not yet done: without `execute`, says what it would do and
   * changes nothing (no call, no record); with it, each action is checked against the provider's
   * state first (already so: `already-done`, nothing sent), then done or reported refused.
   */
  async run(
    incidentId: string,
    options: { execute: boolean; by: string; admin?: () => AdminClient; signal?: AbortSignal },
  ): Promise<RunReport> {
    checkName(options.by);
    const { incident, actions } = await this.plan(incidentId);
    const steps: RunReport['steps'][number][] = [];
    let admin: AdminClient | undefined;
    for (const s of actions) {
      const id = s.action.id;
      if (s.state === 'planned')
        steps.push({ actionId: id, outcome: 'not-approved', detail: 'not approved: vigil contain approve' });
      else if (s.state === 'done')
        steps.push({ actionId: id, outcome: 'skipped', detail: `done before (${s.results.at(-1)!.at})` });
      else if (!options.execute)
        steps.push({ actionId: id, outcome: 'would-run', detail: describe(s.action) });
      else {
        admin ??= options.admin?.() ?? this.#admin(incident.source);
        const result = await this.#execute(s.action, admin, options.by, options.signal);
        steps.push({ actionId: id, outcome: result.outcome, detail: result.detail });
      }
    }
    if (options.execute)
      await this.runtime.auditLog().record({
        actor: `cli:${options.by}`,
        action: 'contain.run',
        target: incident.id,
        details: Object.fromEntries(
          ['done', 'already-done', 'refused', 'skipped', 'not-approved'].map((o) => [
            o,
            steps.filter((s) => s.outcome === o).length,
          ]),
        ),
      });
    return { incident: incident.id, executed: options.execute, steps };
  }

  /** Each action's state, and the provider's events that record what was done (once collected). */
  async status(incidentId: string): Promise<{ incident: Incident; actions: ActionStatus[] }> {
    const { incident, actions } = await this.plan(incidentId);
    const out: ActionStatus[] = [];
    for (const s of actions) {
      const done = s.results.find((r) => r.outcome === 'done');
      const providerEvents = done ? await this.#tiedEvents(s.action, done) : [];
      out.push({ ...s, providerEvents });
    }
    return { incident, actions: out };
  }

  async #tiedEvents(action: ContainmentAction, result: ResultRecord) {
    // The provider's event follows the call within seconds; a minute either side allows for clocks.
    const at = Date.parse(result.at);
    const found = await searchEvents(this.runtime.store.db, {
      source: action.source,
      type: RESULT_EVENT[action.kind],
      ...(action.target.type === 'org' || action.target.type === 'support-case'
        ? {}
        : { target: action.target.id }),
      fromMs: at - 60_000,
      toMs: at + 10 * 60_000,
      limit: 10,
    });
    return found.flatMap((e) => {
      const uuid = (JSON.parse(e.raw) as { uuid?: unknown }).uuid;
      return typeof uuid === 'string' ? [{ uuid, eventType: e.eventType, published: e.published }] : [];
    });
  }

  #admin(source: string): AdminClient {
    // Made only when a run executes: a dry run never resolves the token.
    return adminClientOf(this.runtime, source);
  }

  async #execute(
    action: ContainmentAction,
    admin: AdminClient,
    by: string,
    signal?: AbortSignal,
  ): Promise<ResultRecord> {
    let outcome: AdminOutcome | 'already';
    let already = '';
    try {
      const state = await this.#alreadyDone(action, admin, signal);
      if (state !== undefined) {
        outcome = 'already';
        already = state;
      } else outcome = await this.#call(action, admin, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!isVigilError(error) && !(error instanceof TypeError)) throw error;
      // A read before the call failed: the provider's status and code, when it answered.
      const details = (isVigilError(error) ? error.details : undefined) as
        { httpStatus?: unknown; errorCode?: unknown } | undefined;
      outcome = {
        ok: false,
        httpStatus: typeof details?.httpStatus === 'number' ? details.httpStatus : 0,
        ...(typeof details?.errorCode === 'string' ? { errorCode: details.errorCode } : {}),
        reason: error.message,
      };
    }
    return this.#ledger.result(action.source, {
      actionId: action.id,
      incident: action.incident,
      outcome: outcome === 'already' ? 'already-done' : outcome.ok ? 'done' : 'refused',
      httpStatus: outcome === 'already' ? null : outcome.httpStatus,
      errorCode: outcome === 'already' || outcome.ok ? null : (outcome.errorCode ?? null),
      detail: outcome === 'already' ? already : outcome.ok ? `HTTP ${outcome.httpStatus}` : outcome.reason,
      by,
    });
  }

  /** Why the action needs no call (the provider's state already is what it asks), or undefined. */
  async #alreadyDone(
    action: ContainmentAction,
    admin: AdminClient,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const id = action.target.id;
    switch (action.kind) {
      case 'revoke-support-case': {
        const c = (await admin.supportCases(signal)).find((x) => x.caseNumber === id);
        return !c
          ? 'the provider lists no such case'
          : c.impersonation !== 'ENABLED'
            ? `impersonation is ${c.impersonation}`
            : undefined;
      }
      case 'revoke-support-access':
        return (await admin.supportAccess(signal)).enabled ? undefined : 'support access is disabled';
      case 'suspend-user': {
        const status = await admin.userStatus(id, signal);
        return status === 'SUSPENDED' || status === 'DEPROVISIONED' ? `the user is ${status}` : undefined;
      }
      case 'revoke-api-token':
        return (await admin.apiTokenExists(id, signal)) ? undefined : 'the token no longer exists';
      case 'deactivate-idp': {
        const status = await admin.idpStatus(id, signal);
        return status === undefined
          ? 'the identity provider no longer exists'
          : status === 'INACTIVE'
            ? 'it is INACTIVE'
            : undefined;
      }
      case 'revert-policy-rule': {
        const current = await admin.policyRule(action.target.policyId ?? '', id, signal);
        if (!current) return undefined;
        return sameRule(current, action.revertTo?.rule ?? {})
          ? 'the rule already is as the snapshot holds it'
          : undefined;
      }
      // Sessions and factors leave no state to read: a run does them once (a ledgered `done` is final).
      case 'clear-sessions':
      case 'reset-factors':
        return undefined;
    }
  }

  #call(action: ContainmentAction, admin: AdminClient, signal?: AbortSignal): Promise<AdminOutcome> {
    const id = action.target.id;
    switch (action.kind) {
      case 'revoke-support-case':
        return admin.revokeSupportCase(id, signal);
      case 'revoke-support-access':
        return admin.revokeSupportAccess(signal);
      case 'clear-sessions':
        return admin.clearSessions(id, signal);
      case 'reset-factors':
        return admin.resetFactors(id, signal);
      case 'suspend-user':
        return admin.suspendUser(id, signal);
      case 'revoke-api-token':
        return admin.revokeApiToken(id, signal);
      case 'deactivate-idp':
        return admin.deactivateIdp(id, signal);
      case 'revert-policy-rule': {
        const { _links: _l, created: _c, lastUpdated: _u, ...rule } = action.revertTo?.rule ?? {};
        return admin.replacePolicyRule(action.target.policyId ?? '', id, rule, signal);
      }
    }
  }
}

/** The fields of a rule a revert puts back. */
const RULE_FIELDS = ['name', 'status', 'priority', 'conditions', 'actions', 'type'];
function sameRule(a: Record<string, unknown>, b: Readonly<Record<string, unknown>>): boolean {
  return RULE_FIELDS.every((f) => JSON.stringify(a[f] ?? null) === JSON.stringify(b[f] ?? null));
}

function describe(a: ContainmentAction): string {
  return `would ${a.kind} ${a.target.type} ${a.target.policyId ? `${a.target.policyId}/` : ''}${a.target.id}`;
}

/** Who approves or runs: a name a record and a terminal can carry. */
function checkName(by: string): void {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (by.trim() === '' || by.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(by))
    throw new VigilError<ContainmentErrorCode>(
      'CONTAIN_INVALID',
      '--by: give a name of 1 to 200 printable characters',
      {
        category: 'input',
        details: { flag: 'by' },
      },
    );
}

function unknownAction(id: string, why: string): VigilError<ContainmentErrorCode> {
  return new VigilError('CONTAIN_UNKNOWN_ACTION', `${id.slice(0, 200)}: ${why}`, {
    category: 'input',
    details: { id },
  });
}
