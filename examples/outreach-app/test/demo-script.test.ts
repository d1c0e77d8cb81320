/** `npm run demo` runs to completion and tells the manual resume's story, step by step, with its strings. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The app's directory, so tsx reads its tsconfig (which points the packages at their sources); the
    // hooks load the files those sources import as text, as `npm run demo` does.
    const args = [tsxCli, '--import', '../../tooling/inline-assets/register.ts', 'src/demo.ts'];
    const child = spawn(process.execPath, args, { cwd: appDir, env: { ...process.env, LOG_LEVEL: 'info' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the demo script', () => {
  it('runs the whole story and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const expectInOrder = (lines: string[]) => {
      const positions = lines.map((line) => {
        const at = stdout.indexOf(line);
        expect(at, `demo output should contain: ${line}`).toBeGreaterThanOrEqual(0);
        return at;
      });
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    };
    expectInOrder([
      'Circuit breaker opened for',
      'Pause cascade:',
      'campaigns: PAUSED 4',
      'Manual queue resume requested - validating prerequisites',
      '✗ refused (the API answers 400 with this detail): Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)',
      'Circuit breaker for apollo reset to closed',
      'Nothing resumes on a reset',
      // The dry run checks the prerequisites too, then prints what it would do.
      'Prerequisites met: All circuit breakers are closed - proceeding with queue resume',
      'Dry run: ',
      'Queue resume: 12 jobs resumed for apollo',
      'Queue resume: Campaign 4 resumed',
      'Manual queue resume completed: ',
      '"prerequisites_met": "All circuit breakers closed"',
      'campaigns: COMPLETED 4',
      'jobs:      COMPLETED 60',
      'Done: all 60 jobs completed, all 4 campaigns completed',
    ]);
    // After the resets, before the resume: still paused, with the breakers closed.
    const afterReset = stdout.slice(stdout.indexOf('Nothing resumes on a reset'), stdout.indexOf('Dry run: '));
    expect(afterReset).toMatch(/apollo\s+breaker closed\s+queue PAUSED/);
    expect(afterReset).toMatch(/perplexity\s+breaker closed\s+queue PAUSED/);
    expect(afterReset).toContain('campaigns: PAUSED 4');

    // The dry run and the resume count the same jobs, and the report is the HTTP API's wire JSON.
    const dryRun = /Dry run: (\d+) jobs and 4 campaigns would be resumed/.exec(stdout);
    expect(dryRun).not.toBeNull();
    const json = stdout.slice(stdout.indexOf('{', stdout.indexOf('POST /api/v1/queue-management/resume-queue')), stdout.indexOf('━━ 7.'));
    const envelope = JSON.parse(json) as { status: string; data: Record<string, unknown> };
    expect(envelope.status).toBe('success');
    expect(envelope.data).toMatchObject({
      queue_resumed: true,
      jobs_resumed: Number(dryRun?.[1]),
      campaigns_eligible: 4,
      campaigns_resumed: 4,
      services_resumed: ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'],
      prerequisites_met: 'All circuit breakers closed',
      message: `Queue resumed successfully: ${dryRun?.[1]} jobs and 4 campaigns resumed`,
      requested_by: 'operator@example.com',
    });
    expect(envelope.data).not.toHaveProperty('campaign_resume_errors');
  });
});
