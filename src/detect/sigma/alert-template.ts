import { ruleProblem } from './errors.js';

/**
 * Alert titles and descriptions with the event's context in them (issue 14; Panther's dynamic
 * titles are the model): a Sigma rule's `title` and `description` may name these fields in braces,
 * e.g. `title: 'Okta support reset {target}''s factors'`. The syntax is deliberately small:
 * - `{actor}` the actor's login, `{target}` the first target's login or name, `{role}` the role or
 *   privilege granted, `{ip}` the client address, `{city}` its city;
 * - `{{` and `}}` are a literal brace;
 * - a brace not followed by a name and `}` is text, so SigmaHQ descriptions that quote Okta's
 *   `{New Geo-Location=NEGATIVE, ...}` load unchanged;
 * - any other `{name}` is refused when the rule loads, naming the rule and the placeholder.
 */
export const TEMPLATE_FIELDS = ['actor', 'target', 'role', 'ip', 'city'] as const;

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export type TemplateValues = Readonly<Partial<Record<TemplateField, string>>>;

type Part = string | { readonly field: TemplateField };

const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const isField = (name: string): name is TemplateField =>
  (TEMPLATE_FIELDS as readonly string[]).includes(name);

/** The parts of a template; an unknown placeholder is a `ruleProblem` at `key` (title or description). */
export function parseTemplate(text: string, key: 'title' | 'description', rule: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1];
    if (name === undefined) {
      parts.push(m[0][0]!);
      continue;
    }
    if (!isField(name))
      throw ruleProblem(
        `rule ${JSON.stringify(rule)}: ${key} names an unknown placeholder {${name}}; known: ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')} (write {{ and }} for a literal brace)`,
        [key],
      );
    parts.push({ field: name });
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Longest value put into a title; provider text is hostile, so it is also kept to one clean line. */
const MAX_VALUE = 120;
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

const clean = (value: string): string => {
  const line = value.replace(CONTROL, ' ').trim();
  return line.length > MAX_VALUE ? `${line.slice(0, MAX_VALUE - 1)}…` : line;
};

/** The template with each placeholder replaced by its value, `unknown` where the event has none. */
export function renderTemplate(text: string, values: TemplateValues): string {
  if (!text.includes('{') && !text.includes('}')) return text;
  return parseTemplate(text, 'title', '')
    .map((p) => (typeof p === 'string' ? p : clean(values[p.field] ?? '') || 'unknown'))
    .join('');
}

/** Checks a loaded rule's title and description templates (load-rules.ts); returns the rule. */
export function checkTemplates<
  R extends { readonly id: string; readonly title: string; readonly description?: string },
>(rule: R): R {
  parseTemplate(rule.title, 'title', rule.id);
  if (rule.description !== undefined) parseTemplate(rule.description, 'description', rule.id);
  return rule;
}
