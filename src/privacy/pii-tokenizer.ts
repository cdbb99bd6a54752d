import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * What a token stands for. Emails and logins are both `user`: Okta's `alternateId` is the login,
 * which is usually the email, and the same person must be the same token wherever they appear.
 */
export type PiiKind = 'user' | 'name' | 'ip' | 'phone';

/** Hex characters of the HMAC kept in a token: 64 bits, no collision in any org's lifetime. */
const TOKEN_HEX = 16;

/** `user:7f3a9c1d2e4b5a60`: a kind and the start of HMAC-SHA256(key, kind ‖ 0 ‖ normalised value). */
export const PII_TOKEN = /^(user|name|ip|phone):[0-9a-f]{16}$/;

/**
 * Keys whose string value is personal data wherever they appear (events, configuration snapshots,
 * alerts, reports). `alternateId` and `displayName` are personal only on a person (`onPerson`): an
 * app's or a policy's stays readable.
 */
const KEY_KINDS: Readonly<Record<string, PiiKind>> = {
  login: 'user',
  email: 'user',
  secondEmail: 'user',
  ipAddress: 'ip',
  ip: 'ip',
  mobilePhone: 'phone',
  primaryPhone: 'phone',
  phoneNumber: 'phone',
  firstName: 'name',
  lastName: 'name',
  middleName: 'name',
  nickName: 'name',
  honorificPrefix: 'name',
  honorificSuffix: 'name',
};

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** IPv4 and IPv6 candidates; each is confirmed with `net.isIP` before it is replaced. */
const IP_CANDIDATE = /(?:\d{1,3}\.){3}\d{1,3}|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[0-9A-Za-z]+)?/g;

/** Called for each piece of personal data found: returns what to put in its place. */
type Visit = (kind: PiiKind, raw: string) => string;

/**
 * Personal data as stable keyed tokens (the console's and the reports' view; the store keeps the
 * provider's bytes verbatim). The same value under the same key is the same token everywhere, so an
 * analyst can follow an actor across alerts without seeing who it is; geography (country, city, ASN)
 * is not personal data here and stays. Without the key a token cannot be reversed or confirmed by
 * guessing (it is an HMAC, not a hash), which is why the key is a secret of its own.
 */
export class PiiTokenizer {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length < 32) throw new TypeError('a PII token key needs at least 32 bytes');
    this.#key = Buffer.from(key);
  }

  token(kind: PiiKind, value: string): string {
    const mac = createHmac('sha256', this.#key)
      .update(`${kind}\0${normalise(kind, value)}`)
      .digest('hex');
    return `${kind}:${mac.slice(0, TOKEN_HEX)}`;
  }

  /** A deep copy of a JSON value with every piece of personal data replaced by its token. */
  tokenizeEvent<T>(value: T): T {
    return walk(value, undefined, undefined, (kind, raw) => this.token(kind, raw)) as T;
  }

  /** Free text with every email and IP address replaced by its token. */
  tokenizeText(text: string): string {
    return scanText(text, (kind, raw) => this.token(kind, raw));
  }

  /**
   * The raw personal data inside `value` whose token is `token` (a reveal), or undefined when
   * nothing in `value` has that token: a reveal names the record it reveals from, so a token can only
   * be revealed where it is shown, never looked up across the whole store.
   */
  reveal(value: unknown, token: string): string | undefined {
    if (!PII_TOKEN.test(token)) return undefined;
    let found: string | undefined;
    walk(value, undefined, undefined, (kind, raw) => {
      if (found === undefined && this.token(kind, raw) === token) found = raw;
      return raw;
    });
    return found;
  }
}

function normalise(kind: PiiKind, value: string): string {
  const trimmed = value.trim();
  switch (kind) {
    case 'user':
    case 'ip':
      return trimmed.toLowerCase();
    case 'phone':
      return trimmed.replace(/[^\d+]/g, '');
    case 'name':
      return trimmed;
  }
}

/** An actor or target that is a person (Okta's `type: "User"`, or no type and an email-like id). */
function personLike(object: Record<string, unknown>): boolean {
  const type = object['type'];
  if (typeof type === 'string') return type.toLowerCase() === 'user';
  const id = object['alternateId'] ?? object['login'] ?? object['email'];
  return typeof id === 'string' && id.includes('@');
}

/** The kind of a string under `key`, when the key alone says it is personal data. */
function kindOfKey(
  key: string,
  value: string,
  parent: Record<string, unknown> | undefined,
): PiiKind | undefined {
  const kind = KEY_KINDS[key];
  if (kind !== undefined) return kind;
  const person = parent !== undefined && personLike(parent);
  if (key === 'alternateId' && (person || value.includes('@'))) return 'user';
  if (key === 'displayName' && person) return 'name';
  return undefined;
}

function walk(
  value: unknown,
  key: string | undefined,
  parent: Record<string, unknown> | undefined,
  visit: Visit,
): unknown {
  if (typeof value === 'string') {
    if (key !== undefined) {
      const kind = kindOfKey(key, value, parent);
      if (kind !== undefined && value.trim() !== '') {
        // An `ip` key may hold something that is no address (Okta writes "unknown"); a `login`
        // something that is no email: both are still the key's kind of data and are replaced whole.
        return visit(kind, value);
      }
    }
    return scanText(value, visit);
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, key, parent, visit));
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(object)) copy[k] = walk(v, k, object, visit);
    return copy;
  }
  return value;
}

function scanText(text: string, visit: Visit): string {
  if (text.length === 0) return text;
  const emails = text.replace(EMAIL, (match) => visit('user', match));
  return emails.replace(IP_CANDIDATE, (match) =>
    isIP(match.split('%')[0] ?? '') ? visit('ip', match) : match,
  );
}
