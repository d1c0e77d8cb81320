/**
 * scripts/ensure-environment.sh on a make-believe machine: PATH holds only stand-ins for the service
 * commands (pg_isready, redis-cli, apt-get, …) that record what they are asked and change a state
 * directory, so every branch runs without installing, starting or stopping anything real.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./ensure-environment.sh', import.meta.url));
/** Real tools the script itself uses (everything else it calls is a stand-in). */
const REAL_TOOLS = ['bash', 'ls', 'sort', 'tail', 'grep', 'sed', 'sleep', 'cat'];

function which(tool: string): string {
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin']) if (existsSync(join(dir, tool))) return join(dir, tool);
  throw new Error(`${tool} not found`);
}

const BASH = which('bash');
const REAL_MKDIR = which('mkdir');
const REAL_CHMOD = which('chmod');
const REAL_LN = which('ln');

/** Stand-ins: each records its call, and answers from (or changes) the state directory. */
const STANDINS: Record<string, string> = {
  pg_isready: `[ -e "$STATE/postgres-running" ]`,
  'redis-cli': `[ -e "$STATE/redis-running" ] && echo PONG || exit 1`,
  pg_ctlcluster: `[ -e "$STATE/postgres-wont-start" ] || : > "$STATE/postgres-running"`,
  'redis-server': `: > "$STATE/redis-running"`,
  psql: `case "$*" in *"SELECT 1"*) [ -e "$STATE/database-test" ] && echo 1;; *"CREATE DATABASE"*) : > "$STATE/database-test";; esac; exit 0`,
  'fc-list': `[ -e "$STATE/emoji-font" ] && echo '/usr/share/fonts/NotoColorEmoji.ttf: Noto Color Emoji:style=Regular'; exit 0`,
  id: `echo "\${FAKE_UID:-0}"`,
  mkdir: `exit 0`,
  pgbouncer: `exit 0`,
  // "Installs" a package by putting its stand-in where the script looks for it.
  'apt-get': `[ "$1" = install ] || exit 0
for package in "$@"; do
  case "$package" in
    chromium) : > "$CHROMIUM_PATH"; ${REAL_CHMOD} +x "$CHROMIUM_PATH";;
    fonts-noto-color-emoji) : > "$STATE/emoji-font";;
    postgresql) ${REAL_MKDIR} -p "$POSTGRES_CONFIG_DIR/15/main";;
    postgresql-client) install_standin pg_isready;;
    redis-tools) install_standin redis-cli;;
    redis-server|pgbouncer) install_standin "$package";;
  esac
done`,
};

interface Machine {
  root: string;
  /** The only directory on PATH. */
  bin: string;
  /** Every stand-in, also those not on PATH, so a fake install can put one there. */
  standins: string;
  state: string;
  chromium: string;
  postgresConfig: string;
}

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((machine) => rm(machine.root, { recursive: true, force: true })));
  machines = [];
});

async function writeStandin(m: Machine, name: string): Promise<void> {
  const path = join(m.standins, name);
  const installStandin = `install_standin() { ${REAL_LN} -sf "${m.standins}/$1" "${m.bin}/$1"; }`;
  await writeFile(path, `#!${BASH}\n${installStandin}\necho "${name} $*" >> "${m.state}/calls"\n${STANDINS[name]}\n`);
  await chmod(path, 0o755);
}

/** A machine where everything is installed and running, but for what the options take away. */
async function machine(
  options: {
    without?: string[];
    stopped?: ('postgres' | 'redis')[];
    noChromium?: boolean;
    noFont?: boolean;
    postgresInstalled?: boolean;
  } = {},
): Promise<Machine> {
  const root = await mkdtemp(join(tmpdir(), 'ensure-env-'));
  const m: Machine = {
    root,
    bin: join(root, 'bin'),
    standins: join(root, 'standins'),
    state: join(root, 'state'),
    chromium: join(root, 'chromium'),
    postgresConfig: join(root, 'etc-postgresql'),
  };
  machines.push(m);
  await Promise.all([mkdir(m.bin), mkdir(m.state), mkdir(m.standins)]);
  for (const tool of REAL_TOOLS) await symlink(which(tool), join(m.bin, tool));
  for (const name of Object.keys(STANDINS)) {
    await writeStandin(m, name);
    if (!(options.without ?? []).includes(name)) await symlink(join(m.standins, name), join(m.bin, name));
  }
  const stopped = options.stopped ?? [];
  if (!stopped.includes('postgres')) await writeFile(join(m.state, 'postgres-running'), '');
  if (!stopped.includes('redis')) await writeFile(join(m.state, 'redis-running'), '');
  if (!options.noFont) await writeFile(join(m.state, 'emoji-font'), '');
  if (!options.noChromium) {
    await writeFile(m.chromium, '');
    await chmod(m.chromium, 0o755);
  }
  if (options.postgresInstalled ?? true) {
    await mkdir(join(m.postgresConfig, '15', 'main'), { recursive: true });
    await writeFile(join(m.postgresConfig, '15', 'main', 'pg_hba.conf'), 'local all postgres peer\n');
  }
  return m;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  calls: string[];
  ms: number;
}

async function ensure(m: Machine, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<Run> {
  const started = Date.now();
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      BASH,
      [SCRIPT, ...(options.args ?? [])],
      {
        env: {
          PATH: m.bin,
          HOME: m.root,
          STATE: m.state,
          CHROMIUM_PATH: m.chromium,
          POSTGRES_CONFIG_DIR: m.postgresConfig,
          ENSURE_ENVIRONMENT_SBIN: '',
          ENSURE_ENVIRONMENT_WAIT_SECONDS: '2',
          ...options.env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  const calls = (await readFile(join(m.state, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  // The probes are not changes: keep what the script asked to be done.
  const changes = calls.filter((call) => !/^(pg_isready|redis-cli|fc-list|id|psql -h 127\.0\.0\.1 -U postgres -tAc)/.test(call));
  return { ...result, calls: changes, ms: Date.now() - started };
}

describe('ensure-environment.sh', () => {
  it('installs redis-cli when only the client is missing (the tests run it)', async () => {
    const run = await ensure(await machine({ without: ['redis-cli'] }));
    // Without its client the script probes the port: on this machine the tests' own Redis answers there.
    expect(run.calls.slice(0, 2)).toEqual(['apt-get update -qq', 'apt-get install -y -qq redis-tools']);
  });

  it('does nothing, quickly, when everything is installed and answering', async () => {
    const run = await ensure(await machine());
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '', calls: [] });
    expect(run.ms).toBeLessThan(2_000);
  });

  it('as root with apt-get, installs Chromium with the emoji font and pgbouncer in one apt-get call', async () => {
    const m = await machine({ without: ['pgbouncer'], noChromium: true, noFont: true });
    const run = await ensure(m);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium fonts-noto-color-emoji pgbouncer']);
    expect(existsSync(m.chromium)).toBe(true);
    // A second run finds everything and does nothing.
    await rm(join(m.state, 'calls'));
    expect((await ensure(m)).calls).toEqual([]);
  });

  it('installs the emoji font alone when only it is missing, as root', async () => {
    const run = await ensure(await machine({ noFont: true }));
    expect(run.calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq fonts-noto-color-emoji']);
  });

  it('starts an installed PostgreSQL that is stopped, trusts loopback connections and creates the database test', async () => {
    const m = await machine({ stopped: ['postgres'] });
    const run = await ensure(m);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('starting PostgreSQL 15');
    expect(run.calls).toEqual([
      'pg_ctlcluster --skip-systemctl-redirect 15 main start',
      'psql -h 127.0.0.1 -U postgres -qc CREATE DATABASE test',
    ]);
    const hba = await readFile(join(m.postgresConfig, '15', 'main', 'pg_hba.conf'), 'utf8');
    expect(hba.split('\n').slice(0, 3)).toEqual(['host all all 127.0.0.1/32 trust', 'host all all ::1/128 trust', 'local all all trust']);
  });

  it('installs PostgreSQL when it is not installed, then starts it', async () => {
    const run = await ensure(await machine({ stopped: ['postgres'], postgresInstalled: false }));
    expect(run.code).toBe(0);
    expect(run.calls.slice(0, 3)).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq postgresql',
      'pg_ctlcluster --skip-systemctl-redirect 15 main start',
    ]);
  });

  it('installs and starts Redis when it is not installed', async () => {
    const run = await ensure(await machine({ without: ['redis-server'], stopped: ['redis'] }));
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq redis-server',
      'mkdir -p /var/lib/redis /var/log/redis',
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save  --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
    ]);
  });

  it('not as root: changes nothing and says exactly what to install and start', async () => {
    const m = await machine({ without: ['pgbouncer'], noChromium: true, stopped: ['postgres', 'redis'] });
    const run = await ensure(m, { env: { FAKE_UID: '1000' } });
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('  sudo apt-get install -y chromium fonts-noto-color-emoji pgbouncer\n');
    expect(run.stderr).toContain('sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
    expect(run.stderr).toContain('redis-server --daemonize yes');
    expect(run.stderr).toContain(`Chromium must be at ${m.chromium} (set CHROMIUM_PATH to use another binary)`);
  });

  it('as root without apt-get: says what to install', async () => {
    const run = await ensure(await machine({ without: ['apt-get', 'pgbouncer'] }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sudo apt-get install -y pgbouncer');
    expect(run.stderr).toContain('on another system: the same programs under its own names');
  });

  it('--dry-run prints each step it would take and changes nothing', async () => {
    const m = await machine({ noChromium: true, stopped: ['postgres'] });
    const run = await ensure(m, { args: ['--dry-run'] });
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'ensure-environment: would run: apt-get install -y -qq chromium fonts-noto-color-emoji',
        'ensure-environment: would run: pg_ctlcluster --skip-systemctl-redirect 15 main start',
      ]),
    );
    expect(existsSync(m.chromium)).toBe(false);
  });

  it('leaves PostgreSQL and Redis alone when DATABASE_URL and REDIS_URL point at servers of your own', async () => {
    const run = await ensure(await machine({ stopped: ['postgres', 'redis'] }), {
      env: { DATABASE_URL: 'postgres://ci@db.internal:5432/ci', REDIS_URL: 'redis://cache.internal:6379' },
    });
    expect(run).toMatchObject({ code: 0, calls: [] });
  });

  it('fails, naming it, when a started service does not answer in time', async () => {
    const m = await machine({ stopped: ['postgres'] });
    await writeFile(join(m.state, 'postgres-wont-start'), '');
    const run = await ensure(m, { env: { ENSURE_ENVIRONMENT_WAIT_SECONDS: '1' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL did not answer within 1 s');
  });
});
