/** Query strings of the read routes, validated with zod; a bad one answers 400 naming the parameter. */
import { CAMPAIGN_STATUSES, HISTORY_KINDS, MAX_HISTORY_PAGE } from '@breakwater/core';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/** One value: Express gives a repeated parameter as an array, which these routes do not take. */
const single = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (Array.isArray(value) ? value.at(-1) : value), schema.optional()) as unknown as z.ZodOptional<T>;

const pageSize = (max: number) =>
  single(
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from 1 to ${max}`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= max, `must be a whole number from 1 to ${max}`),
  );

const cursor = single(z.string().regex(/^\d+$/, 'must be a cursor from an earlier page (next_cursor)'));

/** `?since=` as an ISO-8601 time or ms since the epoch. */
const time = single(
  z
    .string()
    .transform((text) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text)))
    .refine((ms) => Number.isFinite(ms), 'must be an ISO-8601 time or ms since the epoch'),
);

/** `?kind=a,b` or `?kind=a&kind=b`. */
const kinds = z
  .preprocess((value) => (Array.isArray(value) ? value.join(',') : value), z.string().optional())
  .transform((text) => (text === undefined || text === '' ? undefined : text.split(',').map((kind) => kind.trim())))
  .refine((list) => list === undefined || list.every((kind) => (HISTORY_KINDS as readonly string[]).includes(kind)), {
    message: `must be history kinds (${HISTORY_KINDS.join(', ')})`,
  });

export const historyQuerySchema = z.object({
  service: single(z.string().min(1).max(200)),
  kind: kinds,
  before: cursor,
  since: time,
  limit: pageSize(MAX_HISTORY_PAGE),
});

export const MAX_CAMPAIGN_PAGE = 200;

export const campaignsQuerySchema = z.object({
  status: single(z.enum(CAMPAIGN_STATUSES)),
  after: single(z.string().regex(/^[\w-]{1,100}$/, 'must be a campaign id from an earlier page (next_cursor)')),
  limit: pageSize(MAX_CAMPAIGN_PAGE),
});

export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `"${issue.path.map(String).join('.')}" ${issue.message}`).join('; ');
    throw new HttpError(400, `Invalid query: ${detail}`);
  }
  return parsed.data;
}
