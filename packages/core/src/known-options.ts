/**
 * Refuses option names a factory does not know, naming the closest known one: a typo (`concurency`,
 * `prefix`, `resumeBatch`) must fail at once, not be silently ignored while the default applies.
 * For the factories that do not describe their options with zod (createBreakwater does).
 */
import { InvalidOptionsError } from './errors.js';

export function rejectUnknownOptions(owner: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  throw new InvalidOptionsError(
    unknown
      .map((name) => {
        const suggestion = closestName(name, known);
        return `Unknown option "${name}" for ${owner}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      })
      .join('; '),
  );
}

/** The known name nearest to `name`, if one is near enough to be what was meant. */
export function closestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    // A name that is the start or the end of a known one (`prefix` for `keyPrefix`, `resumeBatch` for `resumeBatchSize`).
    const distance = other.includes(lower) || lower.includes(other) ? 1 : editDistance(lower, other);
    if (distance <= Math.max(2, Math.floor(candidate.length / 4)) && (!best || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name ?? null;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
