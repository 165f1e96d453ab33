import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { playgroundConfig } from '../../manifest/playground/config';

const ROOT = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];

/**
 * Ends every process started here, whatever happened: politely first, so that the server stops
 * its PostgreSQL (a killed one would outlive the test), then for good.
 */
export async function stopAll() {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

function start(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; log: string },
) {
  const out = fs.openSync(opts.log, 'a');
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}

/** Polls `check` until it is true; fails with `what` (and the log to read) at the deadline. */
export async function until(what: string, check: () => Promise<boolean>, ms: number, log?: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = log && fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
  throw new Error(`timed out waiting for ${what}${tail ? `\n--- ${log}:\n${tail}` : ''}`);
}

const ok = (url: string) => async () => (await fetch(url)).ok;

/**
 * The real server with the demo, on an embedded PostgreSQL of its own, as `npm start` runs it:
 * from the build in dist/ (the test builds it first).
 */
export async function startAccessbot(dir: string, port: number) {
  const log = path.join(dir, 'accessbot.log');
  start(process.execPath, ['dist/server/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'info',
    },
    log,
  });
  await until('Accessbot to answer /healthz', ok(`http://127.0.0.1:${port}/healthz`), 60_000, log);
}

/** An Agents Playground acting as one of the demo's people, pointed at the bot. */
export async function startPlayground(dir: string, who: string, port: number, botPort: number) {
  const home = path.join(dir, `playground-${who}`);
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, '.m365agentsplayground.yml'), playgroundConfig(who));
  const log = path.join(home, 'devTools', 'm365agentsplayground.log');
  start(
    process.execPath,
    [
      require.resolve('@microsoft/m365agentsplayground/cli.js'),
      ...['-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port)],
      '--disable-telemetry',
    ],
    {
      cwd: home,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
      log: path.join(home, 'stdout.log'),
    },
  );
  // A bad config shows only in the playground's own log, and the process exits.
  await until(
    `the playground as ${who}`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/_internal/v1/config`);
      const body = (await res.json()) as { config?: { currentUser?: { id?: string } } };
      return body.config?.currentUser?.id === who;
    },
    30_000,
    log,
  );
  return `http://127.0.0.1:${port}`;
}
