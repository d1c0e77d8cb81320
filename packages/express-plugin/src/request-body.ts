/** Request bodies and path parameters, validated with zod; a bad one answers 400 naming the field. */
import { z } from 'zod';
import { HttpError } from './http-error.js';

export const tripBodySchema = z
  .object(
    {
      reason: z
        .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
        .trim()
        .min(1, 'must not be empty')
        .max(500, 'must be at most 500 characters'),
    },
    { error: 'must be a JSON object' },
  )
  .strict();

/** Service names as core accepts them; the breakers then answer 404 for one they do not know. */
export const serviceParamSchema = z.string().min(1).max(200);

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
      const path = issue.path.map(String).join('.');
      return path ? `"${path}" ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  // Express 4 leaves `{}` when there is no body, Express 5 leaves undefined: treat both as an empty object.
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new HttpError(400, `Invalid request body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
