/**
 * Reads a resume report back from a store that keeps it serialised (JSON in Redis). What is stored there
 * may not be a report this version wrote: another program's value under the same key, or an older
 * version's report missing a field. Such a value is never cast into a report: it reads as none.
 */
import { z } from 'zod';
import type { ResumeReport } from './report.js';

const count = z.number().int().min(0);

const resumeReportSchema = z.object({
  queueResumed: z.boolean(),
  jobsResumed: count,
  campaignJobsResumed: count,
  campaignsEligible: count,
  campaignsResumed: count,
  campaignResumeErrors: z.array(z.string()),
  servicesResumed: z.array(z.string()),
  prerequisitesMet: z.string(),
  message: z.string(),
  resumeId: z.string(),
  requestedBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  dryRun: z.boolean(),
});

// The schema and the report name the same fields with the same types: a field added to one and not the
// other fails the typecheck here, not a status read in production.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SCHEMA_MATCHES_REPORT: Same<z.output<typeof resumeReportSchema>, ResumeReport> = true;
void SCHEMA_MATCHES_REPORT;

/** The report `value` holds (unknown fields left out), or null when it is not one. */
export function parseResumeReport(value: unknown): ResumeReport | null {
  const parsed = resumeReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The report in `json`, or null when there is none (`json` null) or what is stored is not a report (not
 * JSON, or JSON of something else). Stores that keep the report as JSON read it back with this.
 */
export function parseStoredResumeReport(json: string | null): ResumeReport | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return parseResumeReport(value);
}
