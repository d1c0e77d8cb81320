import { describe, expect, it } from 'vitest';
import { resolveSqlNames } from './schema-names.js';

describe('resolveSqlNames', () => {
  it('quotes the default names', () => {
    const names = resolveSqlNames();
    expect([names.campaigns, names.jobs, names.fences, names.history]).toEqual([
      '"campaigns"',
      '"jobs"',
      '"breakwater_service_fences"',
      '"breakwater_history"',
    ]);
    expect(names.c.statusMessage).toBe('"status_message"');
    expect(names.j.leaseExpiresAt).toBe('"lease_expires_at"');
  });

  it("maps a host's names, schema-qualified tables included, and escapes quotes", () => {
    const names = resolveSqlNames({
      tables: { campaigns: 'crm.Marketing Campaigns', jobs: 'crm.tasks' },
      columns: { campaigns: { statusMessage: 'note' }, jobs: { error: 'last "error"' } },
    });
    expect(names.campaigns).toBe('"crm"."Marketing Campaigns"');
    expect(names.bare).toEqual({
      campaigns: 'Marketing Campaigns',
      jobs: 'tasks',
      fences: 'breakwater_service_fences',
      history: 'breakwater_history',
    });
    expect(names.c).toMatchObject({ id: '"id"', statusMessage: '"note"' });
    expect(names.j.error).toBe('"last ""error"""');
  });

  it('refuses names it cannot use, naming the option', () => {
    expect(() => resolveSqlNames({ tables: { jobs: '' } })).toThrow('Invalid option "tables.jobs": must be a non-empty string');
    expect(() => resolveSqlNames({ columns: { jobs: { service: 'a.b' } } })).toThrow(
      'Invalid option "columns.jobs.service": "a.b" is not a usable column name',
    );
    expect(() => resolveSqlNames({ tables: { campaigns: 'crm.' } })).toThrow('is not a usable table name');
    expect(() => resolveSqlNames({ columns: { campaigns: { title: 'x' } as never } })).toThrow('Unknown option "columns.campaigns.title"');
  });
});
