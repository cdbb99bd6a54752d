import { VigilError } from '../core/vigil-error.js';
import {
  ADD_CHECKPOINT_PATH,
  formatAddCheckpointRequest,
  parseCosignatureLines,
  parseTlogSize,
  TLOG_SIZE_CONTENT_TYPE,
  type AddCheckpointRequest,
} from './add-checkpoint.js';
import type { WitnessErrorCode } from './errors.js';

/** The network, injected: the global `fetch` in production, a loopback server's in tests. */
export type HttpFetch = (input: string, init: RequestInit) => Promise<Response>;

/** What a witness answered to one add-checkpoint request (c2sp.org/tlog-witness v1.0.0). */
export type AddCheckpointOutcome =
  /** 200: the cosignature lines, not yet verified (the caller checks them with the witness's key). */
  | { readonly kind: 'cosigned'; readonly lines: string[] }
  /** 409 text/x.tlog.size: the old size was not the size the witness last cosigned, which is this. */
  | { readonly kind: 'conflict'; readonly witnessSize: number }
  /** 400, 403, 404, 409 (same size, other root), 422: refused, with the witness's reason. */
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string };

/** A witness's answer is small; anything longer is not one. */
const MAX_RESPONSE_CHARS = 64 * 1024;

export async function addCheckpoint(
  fetch: HttpFetch,
  url: string,
  request: AddCheckpointRequest,
  timeoutMs = 10_000,
): Promise<AddCheckpointOutcome> {
  const target = `${url.replace(/\/+$/, '')}${ADD_CHECKPOINT_PATH}`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpointRequest(request),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
  } catch (error) {
    throw new VigilError<WitnessErrorCode>(
      'WITNESS_UNREACHABLE',
      `witness ${target}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
      { category: 'external', cause: error, details: { url: target } },
    );
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim();
  if (response.status === 200) return { kind: 'cosigned', lines: parseCosignatureLines(body) };
  if (response.status === 409 && type === TLOG_SIZE_CONTENT_TYPE)
    return { kind: 'conflict', witnessSize: parseTlogSize(body) };
  if ([400, 403, 404, 409, 422].includes(response.status))
    return { kind: 'refused', status: response.status, reason: body.trim().slice(0, 500) };
  throw new VigilError<WitnessErrorCode>(
    'WITNESS_UNREACHABLE',
    `witness ${target}: HTTP ${response.status}`,
    { category: 'external', details: { url: target, status: response.status } },
  );
}
