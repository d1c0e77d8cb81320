/** How the repository tells the database's answers apart: a refused statement, a lost connection, a malformed id. */

/** The SQLSTATE of an error the server sent (pg's DatabaseError carries `severity` and `code`). */
export function sqlState(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('severity' in error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/**
 * The connection, not the statement, failed: no answer from the server at all (socket errors, pool
 * timeouts), a connection exception (class 08), or the server ending the session (57P01–57P03, e.g.
 * `pg_terminate_backend`). Retrying the same statement on another connection is the remedy; splitting
 * a batch to find a culprit is not, because no campaign is at fault.
 */
export function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state === null) return true;
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03';
}

/**
 * The server could not read an id (`invalid input syntax for type bigint`, or out of range): no row
 * can have that id, so lookups answer "not found" rather than fail.
 */
export function isMalformedId(error: unknown): boolean {
  const state = sqlState(error);
  return state === '22P02' || state === '22003';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
