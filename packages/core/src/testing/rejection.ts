/** How the suites look at errors: by BreakwaterError code, which survives two bundled copies of core (instanceof does not). */
import { isBreakwaterError } from '../errors.js';

/** The error the call rejected with; throws when it resolved instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to be rejected, but it resolved');
}

/** The error's BreakwaterError code, or a description that makes a failed assertion readable. */
export function errorCode(error: unknown): string {
  return isBreakwaterError(error) ? error.code : `not a BreakwaterError: ${String(error)}`;
}
