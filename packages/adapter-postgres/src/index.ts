export {
  PostgresCampaignRepository,
  DEFAULT_JOB_RESUME_CHUNK_SIZE,
  DEFAULT_JOB_RESUME_CONCURRENCY,
  DEFAULT_NOTIFY_CHANNEL,
  DEFAULT_RESUME_BATCH_SIZE,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './postgres-campaign-repository.js';
export type { PostgresCampaignRepositoryOptions } from './postgres-campaign-repository.js';
export type { DurableJobWrites } from './commit-durability.js';
export { migrate } from './migrate.js';
export { verifySchema } from './verify-schema.js';
export type { SchemaReport, SchemaReportOptions, WarningLogger } from './verify-schema.js';
export { CAMPAIGN_COLUMN_REQUIREMENTS, JOB_COLUMN_REQUIREMENTS } from './column-requirements.js';
export type { ColumnRequirement } from './column-requirements.js';
export {
  schemaStatements,
  dropStatements,
  historySchemaStatements,
  historyDropStatements,
  allSchemaStatements,
} from './schema-statements.js';
export { PostgresHistoryStore } from './postgres-history-store.js';
export type { PostgresHistoryStoreOptions } from './postgres-history-store.js';
export { DEFAULT_CAMPAIGN_COLUMNS, DEFAULT_JOB_COLUMNS, DEFAULT_TABLES, resolveSqlNames } from './schema-names.js';
export type { CampaignColumns, JobColumns, SchemaNamingOptions, SqlNames, TableNames } from './schema-names.js';
