import { z } from 'zod';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import { parseCosignatureVerifierKey } from '../ledger/cosignature-v1.js';
import type { NoteVerifier } from '../ledger/note-key.js';
import type { WitnessErrorCode } from './errors.js';

/**
 * The `witnesses:` section of vigil.yaml: where every log's checkpoints are sent for cosigning
 * (c2sp.org/tlog-witness) and the cosignature key each witness's signatures are checked with. The
 * keys are trust anchors beside the sources and sinks, so they live in the configuration file (not
 * in the database whose truncation they are there to reveal); `vigil ledger witness add URL VKEY`
 * writes them. Each log's checkpoints go to every witness.
 */
export const witnessEntrySchema = z
  .object({
    /** The witness's submission prefix; `<url>/add-checkpoint` is posted to. */
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'http(s) URL'),
    /** `<name>+<hex8>+base64(0x04 || key)`, the witness's cosignature/v1 verifier key. */
    vkey: z.string().superRefine((vkey, ctx) => {
      try {
        parseCosignatureVerifierKey(vkey);
      } catch (error) {
        if (!isVigilError(error)) throw error;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a cosignature/v1 key: ${error.message}` });
      }
    }),
  })
  .strict();

export const witnessesConfigSchema = z
  .array(witnessEntrySchema)
  .default([])
  .superRefine((entries, ctx) => {
    const names = entries.map((w) => w.vkey.split('+')[0]);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i, 'vkey'],
          message: `witness ${name} listed twice`,
        });
    });
  });

export type WitnessEntry = z.infer<typeof witnessEntrySchema>;

/** A configured witness, ready to use: its URL without a trailing slash and its parsed key. */
export interface ConfiguredWitness {
  readonly url: string;
  readonly name: string;
  readonly vkey: string;
  readonly verifier: NoteVerifier;
}

export function configuredWitness(entry: WitnessEntry): ConfiguredWitness {
  const verifier = parseCosignatureVerifierKey(entry.vkey);
  return { url: entry.url.replace(/\/+$/, ''), name: verifier.name, vkey: entry.vkey, verifier };
}

/** `vigil ledger witness add`'s checks, as coded errors naming the flag. */
export function newWitnessEntry(url: string, vkey: string, existing: readonly WitnessEntry[]): WitnessEntry {
  const parsed = witnessEntrySchema.safeParse({ url, vkey });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_CONFIG_INVALID',
      `witness ${issue.path.join('.') === 'url' ? `URL ${url}` : 'key'}: ${issue.message}`,
      { category: 'input' },
    );
  }
  const added = configuredWitness(parsed.data);
  const clash = existing.map(configuredWitness).find((w) => w.name === added.name || w.url === added.url);
  if (clash)
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_EXISTS',
      `a witness is already configured as ${clash.name} at ${clash.url}`,
      { category: 'input' },
    );
  return parsed.data;
}
