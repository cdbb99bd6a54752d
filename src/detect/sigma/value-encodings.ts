/**
 * Value-transforming modifiers (sigma-appendix-modifiers: windash, utf16le/utf16be/utf16/wide, base64,
 * base64offset). Values flow as text or raw bytes; encoded results are literal (no wildcards).
 */
export type Encoded = { readonly text: string; readonly literal: boolean } | { readonly bytes: Buffer };

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** windash: each `-` or `/` that starts a word becomes every dash variant (all combinations). */
export function windash(text: string): string[] {
  let out = [''];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const wordStart = i === 0 || /\s/.test(text[i - 1] ?? '');
    if (wordStart && (c === '-' || c === '/')) {
      const next: string[] = [];
      for (const prefix of out) for (const d of DASHES) next.push(prefix + d);
      out = next;
    } else out = out.map((p) => p + c);
  }
  return out;
}

export function toBytes(value: Encoded, plain: (text: string) => string): Buffer {
  return 'bytes' in value ? value.bytes : Buffer.from(value.literal ? value.text : plain(value.text), 'utf8');
}

export function utf16(text: string, kind: 'utf16le' | 'utf16be' | 'utf16'): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (kind === 'utf16le') return le;
  if (kind === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

/**
 * base64offset: the three encodings of the value at byte offsets 0, 1, 2 inside a longer string,
 * trimmed to the characters that do not depend on the neighbouring bytes.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const end = ends[(bytes.length + i) % 3] ?? 0;
    out.push(enc.slice(starts[i] ?? 0, end === 0 ? undefined : end));
  }
  return out;
}
