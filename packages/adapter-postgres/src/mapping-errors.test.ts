import { describe, expect, it } from 'vitest';
import { withMappingContext } from './mapping-errors.js';
import { resolveSqlNames } from './schema-names.js';

/** What pg's DatabaseError carries: the server's message, `severity` and the SQLSTATE as `code`. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', code });
}

const names = resolveSqlNames({
  tables: { jobs: 'crm.tasks' },
  columns: { jobs: { leaseExpiresAt: 'locked_until' }, campaigns: { name: 'title' } },
});

describe('withMappingContext', () => {
  it.each([
    ['column "locked_until" does not exist'],
    ['column job.locked_until does not exist'],
    ['column "locked_until" of relation "tasks" does not exist'],
  ])('names the mapping key of a missing column: %s', (message) => {
    const described = withMappingContext(serverError('42703', message), names) as Error;
    expect(described.message).toBe(
      `${message} (mapped as columns.jobs.leaseExpiresAt of table "crm.tasks": check the mapping against the required columns, ` +
        'or run migrate() or verifySchema() to list every mismatch)',
    );
    expect(described).toMatchObject({ code: '42703', severity: 'ERROR', cause: { message } });
  });

  it('names every key a shared column name could be', () => {
    const described = withMappingContext(serverError('42703', 'column "created_at" does not exist'), names) as Error;
    expect(described.message).toContain(
      'mapped as columns.campaigns.createdAt of table "campaigns", or columns.jobs.createdAt of table "crm.tasks"',
    );
  });

  it('names the table key of a missing table the host named', () => {
    const described = withMappingContext(serverError('42P01', 'relation "crm.tasks" does not exist'), names) as Error;
    expect(described.message).toMatch(/^relation "crm\.tasks" does not exist \(mapped as tables\.jobs: /);
  });

  it('leaves a missing default table to its own message: migrate() never ran', () => {
    const missing = serverError('42P01', 'relation "campaigns" does not exist');
    expect(withMappingContext(missing, names)).toBe(missing);
  });

  it('leaves every other error as it is', () => {
    const refused = serverError('23505', 'duplicate key value violates unique constraint');
    expect(withMappingContext(refused, names)).toBe(refused);
    const unmapped = serverError('42703', 'column "nickname" does not exist');
    expect(withMappingContext(unmapped, names)).toBe(unmapped);
    const socket = new Error('read ECONNRESET');
    expect(withMappingContext(socket, names)).toBe(socket);
  });
});
