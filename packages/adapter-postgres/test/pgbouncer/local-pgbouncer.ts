/**
 * Debian's PgBouncer, started by the test in front of the test PostgreSQL, on a free loopback port and in
 * a temp dir of its own, in transaction pooling (as hosted Postgres commonly runs it): every transaction
 * may run on a different server connection, and nothing of a session (SET, LISTEN, session advisory
 * locks) outlives the transaction it ran in. Stopped by `stop()`, and killed when the test process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';

const DEBIAN_PGBOUNCER = '/usr/sbin/pgbouncer';
/** PgBouncer refuses to run as root; as root, the test runs it as this user. */
const UNPRIVILEGED_USER = 'postgres';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface LocalPgBouncerOptions {
  /** The PostgreSQL to pool (`postgres://user[:password]@host:port/db`). */
  databaseUrl: string;
  /** Server connections per database and user (`default_pool_size`). */
  poolSize: number;
}

function pgbouncerBinary(): string {
  try {
    accessSync(DEBIAN_PGBOUNCER, constants.X_OK);
    return DEBIAN_PGBOUNCER;
  } catch {
    throw new Error(
      `PgBouncer not found at ${DEBIAN_PGBOUNCER}: the PgBouncer tests start their own. Install it (apt-get install -y pgbouncer).`,
    );
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class LocalPgBouncer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly target: URL,
  ) {}

  static async start(options: LocalPgBouncerOptions): Promise<LocalPgBouncer> {
    const binary = pgbouncerBinary();
    const target = new URL(options.databaseUrl);
    const user = decodeURIComponent(target.username || 'postgres');
    const password = decodeURIComponent(target.password);
    const dir = mkdtempSync(join(tmpdir(), 'bw-pgbouncer-'));
    const port = await freePort();
    const server = [`host=${target.hostname}`, `port=${target.port || 5432}`, ...(password ? [`password=${password}`] : [])].join(' ');
    writeFileSync(join(dir, 'userlist.txt'), `"${user}" "${password}"\n`);
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        // Any database name the client asks for, on the same server.
        `* = ${server}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'userlist.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${options.poolSize}`,
        'max_client_conn = 200',
        `logfile = ${join(dir, 'pgbouncer.log')}`,
        `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      ].join('\n') + '\n',
    );
    const asRoot = userInfo().uid === 0;
    if (asRoot) {
      const { uid, gid } = lookupUser(UNPRIVILEGED_USER);
      chownSync(dir, uid, gid);
    }
    const child = spawn(binary, [...(asRoot ? ['-u', UNPRIVILEGED_USER] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const bouncer = new LocalPgBouncer(child, dir, port, target);
    try {
      await bouncer.waitUntilServing();
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** The database URL through PgBouncer. */
  url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 10_000;
    let lastError: unknown = null;
    const probe = knexFactory({
      client: 'pg',
      connection: { connectionString: this.url(), connectionTimeoutMillis: 1_000 },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 2_000,
      // Refused connections are expected until it listens: keep knex from logging each one.
      log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} },
    });
    try {
      while (Date.now() < deadline) {
        if (this.child.exitCode !== null)
          throw new Error(`pgbouncer exited at start (code ${this.child.exitCode}); see ${this.dir}/pgbouncer.log`);
        try {
          await probe.raw('SELECT 1');
          return;
        } catch (error) {
          lastError = error;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await probe.destroy();
    }
    throw new Error(`pgbouncer did not serve within 10 s: ${String(lastError)}`);
  }
}

function lookupUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`PgBouncer will not run as root, and there is no user "${name}" to run it as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
