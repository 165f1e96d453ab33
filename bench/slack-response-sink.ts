import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Slack's side of `response_url`s in a process of its own, as Slack is: what the bot posts
 * there is received without sharing the bot's event loop, and each body is handed back (over
 * IPC) to whoever waits for that click's id.
 */
const SINK = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.end('ok');
    process.send({ id: decodeURIComponent(req.url.split('/').pop()), body: Buffer.concat(chunks).toString() });
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
`;

export class ResponseSink {
  private child?: ChildProcess;
  private base = '';
  private readonly bodies = new Map<string, string>();
  private readonly awaiting = new Map<string, (body: string) => void>();

  async start(): Promise<this> {
    const child = spawn(process.execPath, ['-e', SINK], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    const [first] = (await once(child, 'message')) as [{ port: number }];
    this.base = `http://127.0.0.1:${first.port}/respond/`;
    child.on('message', (m: { id: string; body: string }) => {
      const waiting = this.awaiting.get(m.id);
      if (waiting) {
        this.awaiting.delete(m.id);
        waiting(m.body);
      } else this.bodies.set(m.id, m.body);
    });
    return this;
  }

  url(id: string): string {
    return `${this.base}${encodeURIComponent(id)}`;
  }

  /** What was posted to `url(id)` (as text), as soon as it arrives. */
  response(id: string): Promise<string> {
    const body = this.bodies.get(id);
    if (body !== undefined) return Promise.resolve(body);
    return new Promise((resolve) => this.awaiting.set(id, resolve));
  }

  stop(): void {
    this.child?.disconnect();
  }
}
