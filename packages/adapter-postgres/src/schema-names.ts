/**
 * The tables and columns the repository reads and writes. The defaults are `campaigns` and `jobs`
 * with snake_case columns (the names docs/manual-resume.md's checks use); a host with tables of its
 * own maps them here.
 */
import { InvalidOptionsError } from '@breakwater/core';

export interface CampaignColumns {
  id: string;
  name: string;
  status: string;
  statusMessage: string;
  createdAt: string;
  updatedAt: string;
}

export interface JobColumns {
  id: string;
  campaignId: string;
  service: string;
  status: string;
  error: string;
  payload: string;
  attempts: string;
  result: string;
  leaseOwner: string;
  leaseExpiresAt: string;
  availableAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface TableNames {
  campaigns: string;
  jobs: string;
  /** The per-service claim fence, Breakwater's own table. */
  fences: string;
  /** The durable history (`PostgresHistoryStore`), Breakwater's own table. */
  history: string;
}

/** Table names may be schema-qualified (`app.campaigns`); column names are plain. */
export interface SchemaNamingOptions {
  tables?: Partial<TableNames>;
  columns?: { campaigns?: Partial<CampaignColumns>; jobs?: Partial<JobColumns> };
}

export const DEFAULT_TABLES: TableNames = {
  campaigns: 'campaigns',
  jobs: 'jobs',
  fences: 'breakwater_service_fences',
  history: 'breakwater_history',
};

export const DEFAULT_CAMPAIGN_COLUMNS: CampaignColumns = {
  id: 'id',
  name: 'name',
  status: 'status',
  statusMessage: 'status_message',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export const DEFAULT_JOB_COLUMNS: JobColumns = {
  id: 'id',
  campaignId: 'campaign_id',
  service: 'service',
  status: 'status',
  error: 'error',
  payload: 'payload',
  attempts: 'attempts',
  result: 'result',
  leaseOwner: 'lease_owner',
  leaseExpiresAt: 'lease_expires_at',
  availableAt: 'available_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** Every name quoted and ready to paste into SQL, plus the bare names DDL needs for index names. */
export interface SqlNames {
  campaigns: string;
  jobs: string;
  fences: string;
  history: string;
  /** Unqualified, unquoted table names: index and constraint names are built from them. */
  bare: TableNames;
  c: CampaignColumns;
  j: JobColumns;
  /** The names as given (tables possibly schema-qualified), unquoted: for the catalog and for messages. */
  given: { tables: TableNames; campaigns: CampaignColumns; jobs: JobColumns };
  /** Unquoted job column names: the keys of a JSON record `json_populate_recordset` reads as a job row. */
  jBare: JobColumns;
}

/** A double-quoted identifier; a dotted table name becomes a qualified one (`"app"."campaigns"`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteTable(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}

function lastSegment(name: string): string {
  return name.split('.').at(-1) ?? name;
}

export function resolveSqlNames(options: SchemaNamingOptions = {}): SqlNames {
  const tables = { ...DEFAULT_TABLES, ...definedOnly(options.tables, 'tables') };
  const campaignColumns = { ...DEFAULT_CAMPAIGN_COLUMNS, ...definedOnly(options.columns?.campaigns, 'columns.campaigns') };
  const jobColumns = { ...DEFAULT_JOB_COLUMNS, ...definedOnly(options.columns?.jobs, 'columns.jobs') };
  checkNames('tables', tables, DEFAULT_TABLES, true);
  checkNames('columns.campaigns', campaignColumns, DEFAULT_CAMPAIGN_COLUMNS, false);
  checkNames('columns.jobs', jobColumns, DEFAULT_JOB_COLUMNS, false);
  return {
    campaigns: quoteTable(tables.campaigns),
    jobs: quoteTable(tables.jobs),
    fences: quoteTable(tables.fences),
    history: quoteTable(tables.history),
    bare: {
      campaigns: lastSegment(tables.campaigns),
      jobs: lastSegment(tables.jobs),
      fences: lastSegment(tables.fences),
      history: lastSegment(tables.history),
    },
    c: mapValues(campaignColumns, quoteIdentifier),
    j: mapValues(jobColumns, quoteIdentifier),
    given: { tables, campaigns: campaignColumns, jobs: jobColumns },
    jBare: jobColumns,
  };
}

function definedOnly<T extends object>(value: Partial<T> | undefined, option: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new InvalidOptionsError(`Invalid option "${option}": must be an object of names`);
  return Object.fromEntries(Object.entries(value).filter(([, name]) => name !== undefined)) as Partial<T>;
}

function checkNames(option: string, names: object, defaults: object, qualifiable: boolean): void {
  for (const [key, name] of Object.entries(names)) {
    if (!(key in defaults)) throw new InvalidOptionsError(`Unknown option "${option}.${key}"`);
    if (typeof name !== 'string' || name.length === 0)
      throw new InvalidOptionsError(`Invalid option "${option}.${key}": must be a non-empty string`);
    // Identifiers are pasted into SQL quoted; a NUL byte cannot be quoted, and a dot only means a schema for tables.
    // A table is `table` or `schema.table`: a third part would be a database name, which PostgreSQL refuses.
    const parts = name.split('.');
    if (name.includes('\0') || parts.length > (qualifiable ? 2 : 1) || parts.some((part) => part.length === 0)) {
      throw new InvalidOptionsError(
        `Invalid option "${option}.${key}": "${name}" is not a usable ${qualifiable ? 'table' : 'column'} name`,
      );
    }
  }
}

function mapValues<T extends object>(record: T, fn: (value: string) => string): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value as string)])) as T;
}
