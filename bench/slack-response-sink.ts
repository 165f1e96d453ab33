import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Slack's side of `response_url`s in a process of its own, as Slack is: what the bot posts
 * there is received without sharing the bot's event loop, and handed back (over IPC) to
 * whoever waits for that click's id. Only what the waiter looks for crosses: the first match
 * of `shows`, or the whole body when nothing matches, so that the failure can say what came.
 * Slack's side shares the bot's two cores here, so it should cost them as little as it can.
 */
const SINK = `
const http = require('node:http');
const shows = new RegExp(process.argv[1], process.argv[2]);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.end('ok');
    const body = Buffer.concat(chunks).toString();
    const match = shows.exec(body);
    process.send({ id: decodeURIComponent(req.url.split('/').pop()), body: match ? match[0] : body });
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

  constructor(private readonly shows: RegExp) {}

  async start(): Promise<this> {
    const child = spawn(process.execPath, ['-e', SINK, this.shows.source, this.shows.flags], {
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

  /** What was posted to `url(id)`: the match of `shows`, else the body, as soon as it comes. */
  response(id: string): Promise<string> {
    const body = this.bodies.get(id);
    if (body !== undefined) return Promise.resolve(body);
    return new Promise((resolve) => this.awaiting.set(id, resolve));
  }

  stop(): void {
    this.child?.disconnect();
  }
}
