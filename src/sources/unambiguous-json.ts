/**
 * Why a parsed JSON text is ambiguous, or undefined when it is not. `JSON.parse` keeps the last of
 * two equal keys and reads `1e400` as Infinity (which canonicalizes like null): two readers of the
 * same bytes could then see two different events, and the stored digest would not pin down one
 * (issue 19). So an event must have no duplicate key and no number beyond a double's range.
 *
 * Duplicate keys are found without a second parser: every member of every object in the text has
 * exactly one `:` outside strings, and every distinct key one own property after parsing, so the
 * two totals differ exactly when some object repeats a key. `colons` is that count when the caller
 * already scanned the text (jsonArraySpans does, for each event of a page, at no extra pass).
 */
export function ambiguity(raw: string, value: unknown, colons?: number): string | undefined {
  // Iterative and over Object.values: this runs once per ingested event (hot path).
  let members = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'object' && v !== null) {
      const items = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
      if (!Array.isArray(v)) members += items.length;
      for (let i = 0; i < items.length; i++) stack.push(items[i]);
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      return 'a number beyond the range of a double (such as 1e400)';
    }
  }
  if (members !== (colons ?? colonsOutsideStrings(raw))) return 'a duplicate key in an object';
  return undefined;
}

/** The `:` characters of a JSON text that are not inside strings: its object members. */
export function colonsOutsideStrings(text: string): number {
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) colons++;
    else if (c === 0x22) {
      // Jump to each candidate closing quote; an odd run of backslashes before it escapes it.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i === -1) return colons;
        let slashes = 0;
        while (text.charCodeAt(i - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
      }
    }
  }
  return colons;
}
