import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { performance } from 'node:perf_hooks';
import { addCpu, cpuSince, readCpu, type CpuReading } from './cpu-meter';
import type { Window } from './full-gcs';
import { sleep, summarize, type Latency } from './stats';

/** An HTTP server (by default a bare one) on 127.0.0.1 and an ephemeral port. */
export async function listen(
  handler: RequestListener,
  createServer: (handler: RequestListener) => http.Server = (h) => http.createServer(h),
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  // Longer than any pause between rounds: a pooled socket the server closes while idle can
  // meet the next request on its way (ECONNRESET), an artefact of the load generator.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface JsonResponse {
  status: number;
  body: unknown;
  text: string;
}

/**
 * A keep-alive JSON client: one per load generator, enough sockets that it never queues. A
 * Buffer body is sent as it is (serialised ahead, out of the timed loop); `headers` add to or
 * replace the JSON content type (a signed Slack form).
 */
export function jsonClient(maxSockets = 512) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    new Promise<JsonResponse>((resolve, reject) => {
      const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            ...headers,
            'content-length': payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { post, close: () => agent.destroy() };
}

export interface LoadResult {
  latency: Latency;
  count: number;
  seconds: number;
  perSecond: number;
  /** Calls whose answer `check` refused (or that threw). */
  errors: number;
  firstError?: string;
  /** Every call's latency, for merging runs. */
  samples: number[];
  /** When the load ran (performance.now()), for the full collections that fell in it. */
  windows: Window[];
  /** CPU the bench process and PostgreSQL used while it ran. */
  cpu: CpuReading;
}

type Send<T> = (item: T) => Promise<string | null>;

// The clock of V8's gc entries too, so that a run's window places its full collections.
const now = () => performance.now();

/** Closed loop: `concurrency` calls always in flight, each starting when one ends. */
export async function closedLoop<T>(items: T[], concurrency: number, send: Send<T>) {
  const samples: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const cpu = readCpu();
  const t0 = now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      const start = now();
      const problem = await send(item).catch((err: unknown) => String(err));
      samples.push(now() - start);
      if (problem) errors.push(problem);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const end = now();
  return result(samples, errors, (end - t0) / 1000, [[t0, end]], cpuSince(cpu));
}

/**
 * Open loop: call i is due at i / rate seconds, whether or not earlier calls have answered.
 * Latency counts from when the call was due, so a stall shows in every call it delayed.
 */
export async function openLoop<T>(items: T[], ratePerSecond: number, send: Send<T>) {
  const samples: number[] = [];
  const errors: string[] = [];
  const pending: Array<Promise<void>> = [];
  const cpu = readCpu();
  const t0 = now();
  for (let i = 0; i < items.length; i++) {
    const due = t0 + (i * 1000) / ratePerSecond;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    pending.push(
      send(items[i])
        .catch((err: unknown) => String(err))
        .then((problem) => {
          samples.push(now() - due);
          if (problem) errors.push(problem);
        }),
    );
  }
  await Promise.all(pending);
  const end = now();
  return result(samples, errors, (end - t0) / 1000, [[t0, end]], cpuSince(cpu));
}

function result(
  samples: number[],
  errors: string[],
  seconds: number,
  windows: Window[],
  cpu: CpuReading,
): LoadResult {
  return {
    latency: summarize(samples),
    count: samples.length,
    seconds,
    perSecond: samples.length / seconds,
    errors: errors.length,
    ...(errors.length && { firstError: errors[0] }),
    samples,
    windows,
    cpu,
  };
}

/** Runs of one load taken as one: latencies pooled, throughput over their summed time. */
export function merged(runs: LoadResult[]): LoadResult {
  const samples = runs.flatMap((r) => r.samples);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const firstError = runs.find((r) => r.firstError)?.firstError;
  return {
    ...result(
      samples,
      [],
      seconds,
      runs.flatMap((r) => r.windows),
      runs.map((r) => r.cpu).reduce(addCpu, { bench: 0, postgres: 0 }),
    ),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    ...(firstError && { firstError }),
  };
}

/**
 * Two loads in alternating rounds (a, b, a, b, …), each on its share of its items, so that a
 * slow spell of a shared machine falls on both rather than on whichever ran then; each round
 * after `beforeRound` (a full collection, so that neither pays for the other's garbage).
 */
export async function alternating<T>(
  rounds: number,
  a: { items: T[]; run: (items: T[]) => Promise<LoadResult> },
  b: { items: T[]; run: (items: T[]) => Promise<LoadResult> },
  beforeRound: () => Promise<void>,
): Promise<[LoadResult, LoadResult]> {
  const share = (items: T[], i: number) =>
    items.slice(
      Math.floor((items.length * i) / rounds),
      Math.floor((items.length * (i + 1)) / rounds),
    );
  const ra: LoadResult[] = [];
  const rb: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    await beforeRound();
    ra.push(await a.run(share(a.items, i)));
    await beforeRound();
    rb.push(await b.run(share(b.items, i)));
  }
  return [merged(ra), merged(rb)];
}
