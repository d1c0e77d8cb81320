import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_COLUMN_REQUIREMENTS, JOB_COLUMN_REQUIREMENTS, describeRequirement } from './column-requirements.js';
import { DEFAULT_CAMPAIGN_COLUMNS, DEFAULT_JOB_COLUMNS } from './schema-names.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's rows `| \`key\` | \`default name\` | rules |` of the table headed by `columns.<entity>.…`. */
function readmeRows(entity: 'campaigns' | 'jobs'): string[][] {
  const table = README.split(`| key (\`columns.${entity}.…\`)`)[1]?.split('\n\n')[0] ?? '';
  return table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

describe('the required columns, as the README lists them', () => {
  it.each([
    ['campaigns', CAMPAIGN_COLUMN_REQUIREMENTS, DEFAULT_CAMPAIGN_COLUMNS],
    ['jobs', JOB_COLUMN_REQUIREMENTS, DEFAULT_JOB_COLUMNS],
  ] as const)('are the ones the %s check enforces', (entity, requirements, defaults) => {
    const expected = Object.entries(requirements).map(([key, requirement]) => [
      key,
      (defaults as unknown as Record<string, string>)[key],
      describeRequirement(requirement),
    ]);
    expect(readmeRows(entity)).toEqual(expected);
  });
});
