import { ruleProblem } from './errors.js';
import type { CorrelationCondition, CorrelationType, SigmaDetection, SigmaRule } from './sigma-rule.js';
import { compileDetection } from './compile-detection.js';
import { SEVERITIES } from '../severity.js';

/**
 * Checks one parsed YAML document against the Sigma 2.1.0 rule, correlation and filter specifications
 * and turns it into a `SigmaRule`. Problems are `ruleProblem`s carrying the YAML path; the loader
 * maps the path to a line.
 */
type Doc = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const LEVEL: readonly string[] = SEVERITIES;
const RELATED = ['derived', 'obsolete', 'merged', 'renamed', 'similar'];
const TYPES: CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_median',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

const isMap = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);
const problem = (msg: string, ...path: (string | number)[]): never => {
  throw ruleProblem(msg, path);
};

function strings(doc: Doc, key: string): string[] {
  const v = doc[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    problem(`${key} must be a list of strings`, key);
  return v as string[];
}

function detectionOf(section: Doc, key: string): SigmaDetection {
  const cond = section.condition;
  if (cond === undefined) problem('detection needs a condition', key);
  const conditions = typeof cond === 'string' ? [cond] : cond;
  if (!Array.isArray(conditions) || conditions.length === 0 || conditions.some((c) => typeof c !== 'string'))
    problem('condition must be a string or a list of strings', key, 'condition');
  const identifiers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(section))
    if (name !== 'condition' && name !== 'timeframe' && !(key === 'filter' && name === 'rules'))
      identifiers[name] = value;
  if (Object.keys(identifiers).length === 0) problem('detection needs at least one search identifier', key);
  const detection = { identifiers, conditions: conditions as string[] };
  compileDetection(detection, [key]); // throws a ruleProblem with the failing path
  return detection;
}

function commonFields(doc: Doc, source: string, line: number) {
  if (typeof doc.title !== 'string' || doc.title.trim() === '')
    problem('title is required and must be a string', 'title');
  const title = doc.title as string;
  if (title.length > 256) problem('title is longer than 256 characters', 'title');
  if (doc.id !== undefined && (typeof doc.id !== 'string' || !UUID.test(doc.id)))
    problem('id must be a UUID', 'id');
  if (doc.name !== undefined && typeof doc.name !== 'string') problem('name must be a string', 'name');
  if (doc.status !== undefined && !STATUS.includes(doc.status as string))
    problem(`status must be one of ${STATUS.join(', ')}`, 'status');
  if (doc.level !== undefined && !LEVEL.includes(doc.level as string))
    problem(`level must be one of ${LEVEL.join(', ')}`, 'level');
  if (doc.description !== undefined && typeof doc.description !== 'string')
    problem('description must be a string', 'description');
  for (const key of ['date', 'modified'])
    if (doc[key] !== undefined && !(typeof doc[key] === 'string' && DATE.test(doc[key])))
      problem(`${key} must be YYYY-MM-DD`, key);
  const tags = strings(doc, 'tags');
  tags.forEach(
    (t, i) => TAG.test(t) || problem(`tag ${JSON.stringify(t)} must look like namespace.value`, 'tags', i),
  );
  strings(doc, 'references');
  strings(doc, 'fields');
  if (doc.falsepositives !== undefined && typeof doc.falsepositives !== 'string')
    strings(doc, 'falsepositives');
  if (doc.author !== undefined && typeof doc.author !== 'string')
    problem('author must be a string', 'author');
  if (doc.related !== undefined) {
    if (!Array.isArray(doc.related)) problem('related must be a list', 'related');
    (doc.related as unknown[]).forEach((r, i) => {
      if (!isMap(r) || typeof r.id !== 'string' || !UUID.test(r.id))
        problem('related entries need a UUID id', 'related', i);
      if (!RELATED.includes((r as Doc).type as string))
        problem(`related type must be one of ${RELATED.join(', ')}`, 'related', i);
    });
  }
  const name = doc.name as string | undefined;
  return {
    id: (doc.id as string | undefined) ?? name ?? title,
    ...(name === undefined ? {} : { name }),
    title,
    level: (doc.level as string | undefined) ?? 'medium',
    ...(doc.status === undefined ? {} : { status: doc.status as string }),
    ...(doc.description === undefined ? {} : { description: doc.description as string }),
    tags,
    source,
    line,
  };
}

function logsourceOf(doc: Doc): Record<string, string> {
  const ls = doc.logsource;
  if (!isMap(ls)) return problem('logsource is required and must be a map', 'logsource');
  for (const [k, v] of Object.entries(ls))
    if (typeof v !== 'string') problem(`logsource.${k} must be a string`, 'logsource', k);
  if (!['category', 'product', 'service'].some((k) => k in ls))
    problem('logsource needs category, product or service', 'logsource');
  return ls as Record<string, string>;
}

/** Sigma timespans: `30s`, `5m`, `1h`, `2d` (also `1w`, `1M`, `1y` in the correlation spec). */
export function parseTimespan(text: unknown): number | undefined {
  const m = typeof text === 'string' ? /^(\d+)(s|m|h|d|w|M|y)$/.exec(text) : null;
  if (!m) return undefined;
  const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, M: 2.592e9, y: 3.1536e10 }[m[2] as 's'];
  return Number(m[1]) * unit;
}

function correlationOf(
  doc: Doc,
): Omit<Extract<SigmaRule, { kind: 'correlation' }>, keyof ReturnType<typeof commonFields> | 'kind'> {
  const c = doc.correlation;
  if (!isMap(c)) return problem('correlation must be a map', 'correlation');
  const type = c.type as CorrelationType;
  if (!TYPES.includes(type))
    problem(`correlation type must be one of ${TYPES.join(', ')}`, 'correlation', 'type');
  const rulesRaw = typeof c.rules === 'string' ? [c.rules] : c.rules;
  if (!Array.isArray(rulesRaw) || rulesRaw.length === 0 || rulesRaw.some((r) => typeof r !== 'string'))
    problem('correlation.rules must name at least one rule', 'correlation', 'rules');
  const groupRaw =
    c['group-by'] === undefined ? [] : typeof c['group-by'] === 'string' ? [c['group-by']] : c['group-by'];
  if (!Array.isArray(groupRaw) || groupRaw.some((g) => typeof g !== 'string'))
    problem('group-by must be a list of fields', 'correlation', 'group-by');
  const timespanMs = parseTimespan(c.timespan ?? c.timeframe);
  if (timespanMs === undefined) problem('timespan is required, e.g. 5m', 'correlation', 'timespan');
  let condition: CorrelationCondition | undefined;
  if (c.condition !== undefined) {
    if (!isMap(c.condition)) problem('correlation condition must be a map', 'correlation', 'condition');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.condition as Doc)) {
      if (k === 'field') {
        if (typeof v !== 'string') problem('condition field must be a string', 'correlation', 'condition', k);
        out.field = v;
      } else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(k)) {
        if (typeof v !== 'number') problem(`condition ${k} must be a number`, 'correlation', 'condition', k);
        out[k] = v;
      } else problem(`unknown correlation condition operator ${k}`, 'correlation', 'condition', k);
    }
    condition = out as CorrelationCondition;
  } else if (type !== 'temporal' && type !== 'temporal_ordered')
    problem('correlation needs a condition', 'correlation');
  if (type.startsWith('value_') && typeof condition?.field !== 'string')
    problem(`${type} needs condition.field`, 'correlation', 'condition');
  const aliases: Record<string, Record<string, string>> = {};
  if (c.aliases !== undefined) {
    if (!isMap(c.aliases)) problem('aliases must be a map', 'correlation', 'aliases');
    for (const [alias, map] of Object.entries(c.aliases as Doc)) {
      if (!isMap(map) || Object.values(map).some((f) => typeof f !== 'string'))
        problem('each alias maps rule names to field names', 'correlation', 'aliases', alias);
      aliases[alias] = map as Record<string, string>;
    }
  }
  if (c.generate !== undefined && typeof c.generate !== 'boolean')
    problem('generate must be true or false', 'correlation', 'generate');
  return {
    type,
    rules: rulesRaw as string[],
    groupBy: groupRaw as string[],
    timespanMs: timespanMs as number,
    ...(condition ? { condition } : {}),
    aliases,
    generate: c.generate === true,
  };
}

export function validateRule(doc: unknown, source: string, line: number): SigmaRule {
  if (!isMap(doc)) return problem('a rule document must be a YAML map');
  const kinds = ['detection', 'correlation', 'filter'].filter((k) => k in doc);
  if (kinds.length !== 1) problem('a rule needs exactly one of detection, correlation or filter');
  const common = commonFields(doc, source, line);
  if ('detection' in doc) {
    if (!isMap(doc.detection)) problem('detection must be a map', 'detection');
    return {
      kind: 'detection',
      ...common,
      logsource: logsourceOf(doc),
      detection: detectionOf(doc.detection as Doc, 'detection'),
    };
  }
  if ('correlation' in doc) return { kind: 'correlation', ...common, ...correlationOf(doc) };
  if (!isMap(doc.filter)) return problem('filter must be a map', 'filter');
  const rules = typeof doc.filter.rules === 'string' ? [doc.filter.rules] : doc.filter.rules;
  if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'string'))
    problem('filter.rules must list rule ids or names', 'filter', 'rules');
  return {
    kind: 'filter',
    ...common,
    logsource: logsourceOf(doc),
    rules: rules as string[],
    detection: detectionOf(doc.filter, 'filter'),
  };
}
