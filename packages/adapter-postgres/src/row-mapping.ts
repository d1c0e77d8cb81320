/**
 * Rows → the domain's records. The SELECT lists alias every column to its field name and cast ids
 * to text (ids are strings at the core boundary, whatever type the table uses).
 */
import type { Campaign, CampaignStatus, Job, JobStatus } from '@breakwater/core';
import type { SqlNames } from './schema-names.js';

/** `alias."col" AS "field"` for every campaign field; `from` is the table's alias or quoted name. */
export function campaignSelectList(names: SqlNames, from: string): string {
  const { c } = names;
  return [
    `${from}.${c.id}::text AS "id"`,
    `${from}.${c.name} AS "name"`,
    `${from}.${c.status}::text AS "status"`,
    `${from}.${c.statusMessage} AS "statusMessage"`,
    `${from}.${c.createdAt} AS "createdAt"`,
    `${from}.${c.updatedAt} AS "updatedAt"`,
  ].join(', ');
}

/**
 * A timestamptz column as ms since the epoch (double precision): pg reads that with `parseFloat`, where a timestamp's
 * text takes a regular expression and a Date per value, which a claim pays four times a job. `toJob` makes the Dates.
 * Whole ms, as the text form read into a Date gives (a Date keeps no finer time).
 */
export function epochMs(column: string): string {
  return `date_part('epoch', ${column}) * 1000`;
}

/**
 * `alias."col" AS "field"` for every job field. `contents: false` leaves out the payload and the result: what an
 * INSERT returns of jobs whose payloads the client just sent and which have no result yet (`JobRowWithoutContents`).
 */
export function jobSelectList(names: SqlNames, from: string, options: { contents: boolean } = { contents: true }): string {
  const { j } = names;
  const contents = options.contents ? [`${from}.${j.payload} AS "payload"`, `${from}.${j.result} AS "result"`] : [];
  return [
    `${from}.${j.id}::text AS "id"`,
    `${from}.${j.campaignId}::text AS "campaignId"`,
    `${from}.${j.service} AS "service"`,
    `${from}.${j.status}::text AS "status"`,
    `${from}.${j.error} AS "error"`,
    ...contents,
    `${from}.${j.attempts} AS "attempts"`,
    `${from}.${j.leaseOwner} AS "leaseOwner"`,
    `${epochMs(`${from}.${j.leaseExpiresAt}`)} AS "leaseExpiresAt"`,
    `${epochMs(`${from}.${j.availableAt}`)} AS "availableAt"`,
    `${epochMs(`${from}.${j.createdAt}`)} AS "createdAt"`,
    `${epochMs(`${from}.${j.updatedAt}`)} AS "updatedAt"`,
  ].join(', ');
}

export interface CampaignRow {
  id: string;
  name: string;
  status: string;
  statusMessage: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface JobRow {
  id: string;
  campaignId: string;
  service: string;
  status: string;
  error: string | null;
  payload: unknown;
  attempts: number | string;
  result: unknown;
  leaseOwner: string | null;
  /** ms since the epoch (`epochMs`). */
  leaseExpiresAt: number | null;
  availableAt: number;
  createdAt: number;
  updatedAt: number;
}

export type JobRowWithoutContents = Omit<JobRow, 'payload' | 'result'>;

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status as CampaignStatus,
    statusMessage: row.statusMessage,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

export function toJob(row: JobRow): Job {
  return toJobWithContents(row, row.payload, row.result);
}

/**
 * A job from a row without its contents (`jobSelectList(…, { contents: false })`) and the contents, given beside it:
 * a copy of the row with them spread in cost more than the rest of a bulk enqueue's reading of a row.
 */
export function toJobWithContents(row: JobRowWithoutContents, payload: unknown, result: unknown): Job {
  return {
    id: row.id,
    campaignId: row.campaignId,
    service: row.service,
    status: row.status as JobStatus,
    error: row.error,
    payload: payload ?? null,
    attempts: Number(row.attempts),
    result: result ?? null,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt === null ? null : new Date(row.leaseExpiresAt),
    availableAt: new Date(row.availableAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** A value for a jsonb parameter: JSON text, or SQL NULL for nothing (read back as null either way). */
export function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
