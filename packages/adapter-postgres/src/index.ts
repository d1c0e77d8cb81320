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
export { schemaStatements, dropStatements } from './schema-statements.js';
export { DEFAULT_CAMPAIGN_COLUMNS, DEFAULT_JOB_COLUMNS, DEFAULT_TABLES, resolveSqlNames } from './schema-names.js';
export type { CampaignColumns, JobColumns, SchemaNamingOptions, SqlNames, TableNames } from './schema-names.js';
