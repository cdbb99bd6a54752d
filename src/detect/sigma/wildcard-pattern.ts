/**
 * Sigma string values: `*` and `?` are wildcards, `\` escapes `*`, `?` and itself; any other backslash
 * is literal (sigma-rules-specification §"Wildcards" / "Escaping"). Matching is case-insensitive
 * unless `cased` is given.
 */
export type Token = { readonly lit: string } | { readonly wild: '*' | '?' };

export function tokenize(value: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ wild: c });
    } else lit += c;
  }
  if (lit) out.push({ lit });
  return out;
}

/** Re-escapes plain text so that it reads as literal in a Sigma value (for encoded values). */
export function escapeLiteral(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Compiles tokens to the cheapest string test: equality, prefix, suffix, substring or a RegExp. */
export function compilePattern(tokens: readonly Token[], cased: boolean): (s: string) => boolean {
  const norm = (s: string): string => (cased ? s : s.toLowerCase());
  const wilds = tokens.filter((t) => 'wild' in t);
  const lits = tokens.filter((t): t is { lit: string } => 'lit' in t);
  const onlyStars = wilds.every((t) => 'wild' in t && t.wild === '*');
  if (wilds.length === 0) {
    const want = norm(lits.map((t) => t.lit).join(''));
    return (s) => norm(s) === want;
  }
  if (onlyStars && lits.length <= 1) {
    const want = norm(lits[0]?.lit ?? '');
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    const lead = first !== undefined && 'wild' in first;
    const trail = last !== undefined && 'wild' in last;
    if (lits.length === 0) return () => true;
    if (lead && trail) return (s) => norm(s).includes(want);
    if (lead) return (s) => norm(s).endsWith(want);
    return (s) => norm(s).startsWith(want);
  }
  const source = tokens.map((t) => ('lit' in t ? escapeRe(t.lit) : t.wild === '*' ? '.*' : '.')).join('');
  const re = new RegExp(`^${source}$`, cased ? 's' : 'is');
  return (s) => re.test(s);
}
