/** Checks shared by every class that takes the host's knex: a knex instance on PostgreSQL, and time limits in ms. */
import type { Knex } from 'knex';
import { InvalidOptionsError } from '@breakwater/core';

function isKnex(value: unknown): value is Knex {
  return typeof value === 'function' && typeof (value as Knex).client === 'object' && (value as Knex).client !== null;
}

/** The option's knex instance, checked to be one whose client is `pg`; `notKnex` is the message when it is no knex at all. */
export function requirePostgresKnex(option: string, value: unknown, notKnex: string): Knex {
  if (!isKnex(value)) throw new InvalidOptionsError(notKnex);
  const dialect = (value.client as { dialect?: unknown }).dialect;
  if (dialect !== 'postgresql')
    throw new InvalidOptionsError(`Invalid option "${option}": its client must be "pg" (PostgreSQL), not ${String(dialect)}`);
  return value;
}

/** A time limit in ms, 0 meaning none. */
export function milliseconds(option: string, value: unknown, fallback: number): number {
  const ms = value ?? fallback;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0)
    throw new InvalidOptionsError(`Invalid option "${option}": must be a whole number of ms (0: no limit)`);
  return ms;
}
