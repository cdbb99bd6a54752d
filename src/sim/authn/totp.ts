import type { Random } from '../../core/seeded-random.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A TOTP shared secret (base32, 160 bits) drawn from the simulator's seeded randomness. */
export const totpSecret = (random: Random): string => random.chars(32, BASE32);
