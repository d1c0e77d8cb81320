/** Starts test/fixtures/resuming-process.ts as a real Node process, to be killed in the middle of its resume. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/resuming-process.ts', import.meta.url));
/** The workspace tsconfig maps @breakwater/* to their sources, so the child runs what the tests run. */
const WORKSPACE_TSCONFIG = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
/** Loads the Lua scripts the Redis stores import, as vitest and the build do. */
const INLINE_ASSET_HOOKS = new URL('../../../tooling/inline-assets/register.ts', import.meta.url).href;

export interface ResumingProcess {
  /** Resolves when the child is about to call resumeQueue. */
  resuming: Promise<void>;
  /** Resolves with how long its resume took, if it finished. */
  done: Promise<number>;
  /** SIGKILL, then waits for it to be gone; true if its resume had not finished. */
  kill(): Promise<boolean>;
  exited: Promise<void>;
}

export function startResumingProcess(env: { redisUrl: string; databaseUrl: string; schema: string; lockTtlMs: number }): ResumingProcess {
  const child: ChildProcess = fork(FIXTURE, [], {
    execArgv: ['--import', 'tsx', '--import', INLINE_ASSET_HOOKS],
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: WORKSPACE_TSCONFIG,
      REDIS_URL: env.redisUrl,
      DATABASE_URL: env.databaseUrl,
      SCHEMA: env.schema,
      LOCK_TTL_MS: String(env.lockTtlMs),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let finished = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const resuming = new Promise<void>((resolve, reject) => {
    child.on('message', (message: { resuming?: boolean }) => {
      if (message.resuming) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`the resuming process exited before it resumed (${code ?? signal})`)));
  });
  const done = new Promise<number>((resolve, reject) => {
    child.on('message', (message: { done?: number }) => {
      if (typeof message.done === 'number') {
        finished = true;
        resolve(message.done);
      }
    });
    child.once('exit', (code, signal) => {
      if (!finished) reject(new Error(`the resuming process exited before its resume finished (${code ?? signal})`));
    });
  });
  // Only awaited by callers that let it finish; a kill is not a failure.
  done.catch(() => undefined);
  return {
    resuming,
    done,
    exited,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
      return !finished;
    },
  };
}
