import type { PostureFinding } from '../posture-finding.js';
import { familyOf } from '../resource-families.js';
import { BASELINE_CHECKS, type BaselineCheck } from './baseline-checks.js';
import type { Baseline } from './baseline-file.js';
import { at, type ConfigObject, type SnapshotView } from './snapshot-view.js';

/**
 * Every built-in check the baseline keeps, then every declared allow-list, against one snapshot.
 * Fails closed: a check whose configuration family the reader could not read fails, and so does a
 * check that finds nothing to judge where the org must have something (no global session policy,
 * no Okta Support setting).
 */
export function evaluateBaseline(view: SnapshotView, baseline: Baseline): PostureFinding[] {
  const findings: PostureFinding[] = [];
  for (const check of BASELINE_CHECKS) {
    const override = baseline.checks[check.id];
    const requirement = override?.requirement ?? check.requirement;
    const base = {
      kind: 'baseline' as const,
      check: check.id,
      title: check.title,
      requirement,
      references: check.references,
      explainedBy: [],
      fix: check.fix,
    };
    /** A finding about the check as a whole, with nothing inside an object to point at. */
    const whole = (status: PostureFinding['status'], detail: string) =>
      findings.push({
        ...base,
        resource: check.resource,
        field: null,
        before: null,
        after: null,
        status,
        detail,
      });
    if (override && !override.enabled) {
      whole('not-applicable', `turned off by the baseline${override.reason ? `: ${override.reason}` : ''}`);
      continue;
    }
    const unread = check.families.filter((f) => !view.complete(f));
    if (unread.length > 0) {
      whole('fail', `cannot be judged: the snapshot could not read ${unread.join(', ')}`);
      continue;
    }
    const results = check.evaluate(view, baseline.settings);
    if (results.length === 0) {
      whole(check.whenNone === 'fail' ? failure(requirement) : check.whenNone, noneDetail(check));
      continue;
    }
    for (const r of results)
      findings.push({
        ...base,
        resource: r.resource,
        field: r.field,
        before: r.expected,
        after: r.actual,
        status: r.ok ? 'pass' : failure(requirement),
        detail: r.detail,
      });
  }
  findings.push(...allowListFindings(view, baseline));
  return findings;
}

const failure = (requirement: 'SHALL' | 'SHOULD') => (requirement === 'SHALL' ? 'fail' : 'warn');

function noneDetail(check: BaselineCheck): string {
  if (check.whenNone === 'pass') return 'nothing of this kind is configured';
  if (check.whenNone === 'not-applicable') return 'no object this check applies to';
  return 'the snapshot holds nothing to judge this by: fails closed';
}

const nameOf = (o: ConfigObject): string | null => {
  for (const key of ['name', 'label'] as const) if (typeof o.value[key] === 'string') return o.value[key];
  const login = at(o.value, 'profile', 'login');
  return typeof login === 'string' ? login : null;
};

function allowListFindings(view: SnapshotView, baseline: Baseline): PostureFinding[] {
  const out: PostureFinding[] = [];
  const listed = (
    list: readonly string[] | undefined,
    title: string,
    objects: readonly { path: string; id: string; name: string | null }[],
  ) => {
    if (list === undefined) return;
    for (const o of objects) {
      const declared = list.includes(o.id) || (o.name !== null && list.includes(o.name));
      out.push({
        kind: 'allow-list',
        check: null,
        title,
        requirement: 'SHALL',
        references: [],
        resource: o.path,
        field: null,
        before: null,
        after: o.name ?? o.id,
        status: declared ? 'pass' : 'fail',
        explainedBy: [],
        detail: `${o.name ?? o.id} ${declared ? 'is declared' : 'is present but not declared in the baseline'}`,
        fix: declared ? null : 'Remove it, or declare it in the baseline if it is expected.',
      });
    }
  };
  const idOf = (path: string) => familyOf(path)?.ids[0] ?? path;
  const simple = (pattern: RegExp) =>
    view.objects(pattern).map((o) => ({ path: o.path, id: idOf(o.path), name: nameOf(o) }));
  const roles = view.roleAssignments().map((r) => ({ role: r, holder: view.assignee(r.path) }));
  const holders = (only?: string) =>
    roles
      .filter(({ role }) => only === undefined || role.value['type'] === only)
      .map(({ role, holder }) => ({ path: role.path, id: holder.id, name: holder.name }));
  listed(baseline.allow.superAdmins, 'Super administrators are the declared ones', holders('SUPER_ADMIN'));
  listed(baseline.allow.adminRoleHolders, 'Admin roles are held only by the declared holders', holders());
  listed(
    baseline.allow.identityProviders,
    'Identity providers are the declared ones',
    simple(/^\/api\/v1\/idps\/[^/]+$/),
  );
  listed(
    baseline.allow.apiTokens,
    'API tokens are the declared ones',
    simple(/^\/api\/v1\/api-tokens\/[^/]+$/),
  );
  listed(
    baseline.allow.networkZones,
    'Network zones are the declared ones',
    simple(/^\/api\/v1\/zones\/[^/]+$/),
  );
  listed(baseline.allow.apps, 'Apps are the declared ones', simple(/^\/api\/v1\/apps\/[^/]+$/));
  return out;
}
