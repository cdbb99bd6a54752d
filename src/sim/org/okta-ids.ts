import type { Random } from '../../core/seeded-random.js';

/** Okta object ids: a 3-character type prefix and 17 more characters, 20 in all (okta-api.md §2.1). */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export type OktaIdPrefix =
  | '00u'
  | '0oa'
  | '00p'
  | '0pr'
  | '00g'
  | '00T'
  | 'nzo'
  | 'spr'
  | 'lae'
  | '0oe'
  | 'guo'
  | 'rol'
  | 'rst'
  | 'rul'
  | 'aut'
  | 'ra1'
  | 'who'
  | 'tos'
  | '00o'
  | 'uft';

export const oktaId = (random: Random, prefix: OktaIdPrefix): string =>
  prefix + random.chars(17, ID_ALPHABET);

/** Request and transaction ids look like `ZCCzm8j2wTvzwele2NwLnwAADSc` (27 characters). */
export const requestId = (random: Random): string =>
  random.chars(23, ID_ALPHABET) + 'AAA' + random.chars(1, 'ABCD');

/** OIE session ids start with `idx` (okta-api.md §2.1). */
export const sessionId = (random: Random): string => 'idx' + random.chars(22, ID_ALPHABET + '-_');

/**
 * RFC 4122 version-1 uuids as Okta's `uuid` field uses: time fields from the event time (100 ns
 * ticks since 1582-10-15), clock sequence and node from the seeded generator.
 */
export function uuidV1(random: Random, timeMs: number): string {
  const ticks = BigInt(timeMs) * 10_000n + 0x01b21dd213814000n + BigInt(random.int(0, 9_999));
  const hex = ticks.toString(16).padStart(15, '0');
  const timeLow = hex.slice(7, 15);
  const timeMid = hex.slice(3, 7);
  const timeHigh = '1' + hex.slice(0, 3);
  const clockSeq = (0x8000 | random.int(0, 0x3fff)).toString(16);
  return `${timeLow}-${timeMid}-${timeHigh}-${clockSeq}-${random.hex(12)}`;
}

export const ipIn = (random: Random, prefix: string): string =>
  `${prefix}.${random.int(1, 254)}.${random.int(1, 254)}`;
