import { inspect } from 'node:util';
import { expect } from 'vitest';
import { isVigilError, type ErrorCode, type VigilError } from '../../src/core/vigil-error.js';

/**
 * Asserts that `fn` throws, or that `promise` (or the promise `fn` returns) rejects, with a
 * `VigilError` whose `code` is `code`, and returns that error for further checks (category, details).
 * Tests branch on codes, never on message text (STYLE.md habit 6); `code` is an `ErrorCode`, so a
 * misspelt code fails the type check.
 *
 *   expectCode(() => parseCheckpoint(text), 'LEDGER_CHECKPOINT_MALFORMED');
 *   const error = await expectCode(store.transition(id, 'open', 'x'), 'ALERT_INVALID_TRANSITION');
 */
export function expectCode<C extends ErrorCode>(
  action: PromiseLike<unknown> | (() => PromiseLike<unknown>),
  code: C,
  label?: string,
): Promise<VigilError<C>>;
export function expectCode<C extends ErrorCode>(fn: () => unknown, code: C, label?: string): VigilError<C>;
export function expectCode<C extends ErrorCode>(
  action: PromiseLike<unknown> | (() => unknown),
  code: C,
  label?: string,
): VigilError<C> | Promise<VigilError<C>> {
  if (typeof action !== 'function') return settle(action, code, label);
  let returned: unknown;
  try {
    returned = action();
  } catch (error) {
    return check(error, code, label);
  }
  if (isThenable(returned)) return settle(returned, code, label);
  return expect.fail(
    `${prefix(label)}expected a VigilError ${code} to be thrown, but the call returned ${show(returned)}`,
  );
}

async function settle<C extends ErrorCode>(
  promise: PromiseLike<unknown>,
  code: C,
  label: string | undefined,
): Promise<VigilError<C>> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return check(error, code, label);
  }
  return expect.fail(
    `${prefix(label)}expected a rejection with VigilError ${code}, but it resolved to ${show(value)}`,
  );
}

function check<C extends ErrorCode>(error: unknown, code: C, label: string | undefined): VigilError<C> {
  if (!isVigilError(error))
    return expect.fail(`${prefix(label)}expected a VigilError ${code}, but got ${show(error)}`);
  expect(error.code, `${prefix(label)}error code (message: ${error.message})`).toBe(code);
  return error as VigilError<C>;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

const prefix = (label: string | undefined) => (label === undefined ? '' : `${label}: `);

const show = (value: unknown) => inspect(value, { depth: 2, breakLength: Infinity });
