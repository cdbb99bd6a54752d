import type { Readable } from 'node:stream';
import { readBoundedUtf8, type BodyLimits } from './bounded-body.js';
import { ambiguity } from './unambiguous-json.js';

/**
 * A provider's JSON answer, or why it is refused: not UTF-8 JSON, or `ambiguous` (a duplicate key, a
 * number beyond a double: unambiguous-json.ts).
 */
export type ProviderJson =
  { readonly json: unknown } | { readonly problem: string; readonly ambiguous: boolean };

/**
 * A JSON answer read under the body limits (readBoundedUtf8, which throws when one is crossed),
 * decoded as strict UTF-8 and parsed once. The adapters' small answers (configuration, admin
 * actions, sign-in steps) all come through here; log pages are cut event by event (page-body.ts).
 */
export async function readProviderJson(
  body: Readable,
  contentEncoding: string | null,
  limits: BodyLimits,
  signal: AbortSignal,
): Promise<ProviderJson> {
  const read = await readBoundedUtf8(body, contentEncoding, limits, signal);
  const notJson = { problem: 'the answer is not UTF-8 JSON', ambiguous: false };
  if ('invalid' in read) return notJson;
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch {
    return notJson;
  }
  const why = ambiguity(read.text, json);
  return why === undefined ? { json } : { problem: why, ambiguous: true };
}
