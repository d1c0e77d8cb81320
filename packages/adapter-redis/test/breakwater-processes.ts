/** Starts fixtures/breakwater-process.ts as real Node processes and talks to them over IPC. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent, Reply, Request } from './fixtures/breakwater-process.js';
import { redisUrl } from './redis-clients.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/breakwater-process.ts', import.meta.url));
/** The workspace tsconfig maps @breakwater/core to its sources, so the children run what the tests run. */
const WORKSPACE_TSCONFIG = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
/** Loads the Lua scripts the sources import, as vitest and the build do. */
const INLINE_ASSET_HOOKS = new URL('../../../tooling/inline-assets/register.ts', import.meta.url).href;

type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class BreakwaterProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly started: Promise<void>;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    this.started = new Promise((resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`breakwater process exited before it was ready (${code ?? signal})`)));
      this.pending.set(0, () => resolve());
    });
    child.on('message', (reply: Reply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    child.on('exit', () => {
      this.exited = true;
    });
  }

  static start(env: { keyPrefix: string; services?: string[]; resumeLockTtlMs?: number; hangResume?: boolean }): BreakwaterProcess {
    const child = fork(FIXTURE, [], {
      execArgv: ['--import', 'tsx', '--import', INLINE_ASSET_HOOKS],
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: WORKSPACE_TSCONFIG,
        REDIS_URL: redisUrl(),
        KEY_PREFIX: env.keyPrefix,
        SERVICES: (env.services ?? ['apollo']).join(','),
        ...(env.resumeLockTtlMs ? { RESUME_LOCK_TTL_MS: String(env.resumeLockTtlMs) } : {}),
        ...(env.hangResume ? { HANG_RESUME: '1' } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new BreakwaterProcess(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  ready(): Promise<void> {
    return this.started;
  }

  /** Sends a request; resolves with the reply (ok or not). */
  send(body: RequestBody): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...body, id });
    });
  }

  /** Sends a request and returns its value, failing on an error reply. */
  async request<T = unknown>(body: RequestBody): Promise<T> {
    const reply = await this.send(body);
    if (!reply.ok) throw new Error(`${body.type} failed in process ${this.pid}: ${reply.error.code} ${reply.error.message}`);
    return reply.value as T;
  }

  events(): Promise<RecordedEvent[]> {
    return this.request<RecordedEvent[]>({ type: 'events' });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Lets the process close its stores and exit; kills it if it does not within a few seconds. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
