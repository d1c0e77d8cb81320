/**
 * PostgreSQL names a missing column or table, but not the mapping option that led Breakwater to it.
 * This adds the option (`columns.jobs.leaseExpiresAt of table "crm.tasks"`), so a host whose tables
 * do not fit the mapping can tell which name to fix: every column (a default name is a mapping the
 * host left as it is), and the tables the host named. `migrate` and `verifySchema` catch this earlier.
 */
import { DEFAULT_TABLES, type SqlNames } from './schema-names.js';
import { errorMessage, sqlState } from './driver-errors.js';

const UNDEFINED_COLUMN = '42703';
const UNDEFINED_TABLE = '42P01';

/** `column "x" does not exist`, `column job.x does not exist`, `column "x" of relation "t" does not exist` */
function missingColumnName(message: string): string | null {
  const match = /column (?:"((?:[^"]|"")+)"|(?:[\w$]+\.)?([\w$]+)) (?:of relation "[^"]*" )?does not exist/.exec(message);
  return match ? (match[1]?.replace(/""/g, '"') ?? match[2] ?? null) : null;
}

function mappedAs(names: SqlNames, column: string): string[] {
  const { given } = names;
  const keys: string[] = [];
  for (const [key, name] of Object.entries(given.campaigns))
    if (name === column) keys.push(`columns.campaigns.${key} of table "${given.tables.campaigns}"`);
  for (const [key, name] of Object.entries(given.jobs))
    if (name === column) keys.push(`columns.jobs.${key} of table "${given.tables.jobs}"`);
  return keys;
}

/**
 * Only tables the host named: a default table that is missing means migrate() never ran, which
 * PostgreSQL's own message says well enough, and is no mapping of the host's.
 */
function tableKeys(names: SqlNames, message: string): string[] {
  return (['campaigns', 'jobs', 'fences'] as const)
    .filter((key) => names.given.tables[key] !== DEFAULT_TABLES[key])
    .filter((key) => message.includes(`"${names.given.tables[key]}"`) || message.includes(`"${names.bare[key]}"`))
    .map((key) => `tables.${key}`);
}

/** The same error with the mapping named in its message (the driver's error stays as `cause`), or the error unchanged. */
export function withMappingContext(error: unknown, names: SqlNames): unknown {
  const state = sqlState(error);
  const message = errorMessage(error);
  let context: string[] = [];
  if (state === UNDEFINED_COLUMN) {
    const column = missingColumnName(message);
    context = column === null ? [] : mappedAs(names, column);
  } else if (state === UNDEFINED_TABLE) {
    context = tableKeys(names, message);
  }
  if (context.length === 0) return error;
  const described = new Error(
    `${message} (mapped as ${context.join(', or ')}: check the mapping against the required columns, or run migrate() or verifySchema() to list every mismatch)`,
    { cause: error },
  );
  // Still reads as the server's error (SQLSTATE and severity), so callers that tell a refused statement
  // from a lost connection (isolating-batches.ts) decide exactly as they would on the original.
  return Object.assign(described, { code: state, severity: (error as { severity?: unknown }).severity });
}
