import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../server/connectors/webhook-signature';

/**
 * A webhook receiver as README describes one: checks each call's signature and counts the
 * revocations by action id, so the benchmark can tell "every role revoked once" from "some
 * revoked twice". A bare node:http server in a process of its own (receivers live elsewhere):
 * the figures are about us.
 */
export class BenchReceiver {
  readonly revoked = new Map<string, number>();
  refused = 0;
  private server?: http.Server;

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const signed = verify(
          this.secret,
          {
            signature: req.headers[SIGNATURE_HEADER] as string | undefined,
            timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
          },
          body,
        );
        if (!signed) {
          this.refused++;
          res.writeHead(401).end();
          return;
        }
        const call = JSON.parse(body) as { action: string; actionId: string };
        if (call.action === 'revoke') {
          this.revoked.set(call.actionId, (this.revoked.get(call.actionId) ?? 0) + 1);
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get calls(): number {
    let n = 0;
    for (const c of this.revoked.values()) n += c;
    return n;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

export interface ReceiverTally {
  calls: number;
  /** Action ids revoked more than once. */
  repeated: number;
  refused: number;
}

/** The receiver in a child process; its tally asked for over IPC. */
export async function spawnReceiver(secret: string) {
  const child = fork(__filename, [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, BENCH_RECEIVER_SECRET: secret },
  });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const url = await next<string>();
  return {
    url,
    async tally(): Promise<ReceiverTally> {
      const answer = next<ReceiverTally>();
      child.send('tally');
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

if (require.main === module) {
  const receiver = new BenchReceiver(process.env.BENCH_RECEIVER_SECRET!);
  void receiver.start().then((url) => process.send!(url));
  // Dies with the bench, however the bench ends.
  process.on('disconnect', () => process.exit(0));
  process.on('message', () =>
    process.send!({
      calls: receiver.calls,
      repeated: [...receiver.revoked.values()].filter((n) => n > 1).length,
      refused: receiver.refused,
    } satisfies ReceiverTally),
  );
}
