import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { DecisionOptions, ModeResults } from './chat-decisions';
import { watchPostmaster } from './cpu-meter';
import { collectBeforeRound } from './full-gcs';
import { alternating, closedLoop, openLoop, type LoadResult } from './http-load';
import { senderOf, type Target } from './load-senders';

/**
 * The decision benchmark's load generator, on a thread of its own. On the servers' thread its
 * work (building, signing and posting each call, reading each answer) and theirs queued behind
 * each other, as no deployed server's would: at 300/s the Slack bot's p99 was 42 and 77 ms with
 * it there and 37 ms in both runs without, the floor's 8–12 ms either way (runs alternated). It
 * is still in the bench process, so CPU per call still counts it, for both sides alike.
 */

/** Floor and bot take turns this many times in each mode (http-load.ts `alternating`). */
export const ROUNDS = 3;

export interface LoadPlan {
  options: DecisionOptions;
  floor: { target: Target; ids: string[] };
  bot: { target: Target; ids: string[] };
  /** PostgreSQL's server process, whose CPU each run reads (cpu-meter.ts). */
  postmaster: number | undefined;
}

export interface LoadOutcome {
  full: ModeResults;
  rate: ModeResults;
  /** Slack clicks after the warm-up: from the post leaving to Bolt's HTTP 200. */
  acks: number[];
}

/** A side's requests: warm-up, full speed, then the fixed rate. */
export function slices(ids: string[], o: DecisionOptions) {
  const rate = o.ratePerSecond * o.rateSeconds;
  return {
    warm: ids.slice(0, o.warmup),
    full: ids.slice(o.warmup, o.warmup + o.fullSpeed),
    rate: ids.slice(o.warmup + o.fullSpeed, o.warmup + o.fullSpeed + rate),
  };
}

type Message = { collect: true } | { done: LoadOutcome } | { failed: string };

/**
 * Runs the plan on the load generator's thread and answers with what it measured; before
 * each round, both threads' heaps are collected (full-gcs.ts `collectBeforeRound`).
 */
export function runDecisionLoad(plan: LoadPlan): Promise<LoadOutcome> {
  const worker = new Worker(__filename, { workerData: { decisionLoad: plan } });
  return new Promise<LoadOutcome>((resolve, reject) => {
    worker.on('message', (m: Message) => {
      if ('collect' in m) {
        collectBeforeRound();
        worker.postMessage('collected');
      } else if ('done' in m) resolve(onClock(m.done, -performance.timeOrigin));
      else reject(new Error(`the load generator failed: ${m.failed}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load generator stopped (${code})`)));
  }).finally(() => void worker.terminate());
}

// Each thread's performance.now() counts from its own start: windows cross as epoch times.
const onClock = (o: LoadOutcome, shift: number): LoadOutcome => {
  const move = (r: LoadResult): LoadResult => ({
    ...r,
    windows: r.windows.map(([from, to]) => [from + shift, to + shift]),
  });
  const mode = (m: ModeResults) => ({ floor: move(m.floor), bot: move(m.bot) });
  return { ...o, full: mode(o.full), rate: mode(o.rate) };
};

async function run(plan: LoadPlan, beforeRound: () => Promise<void>): Promise<LoadOutcome> {
  watchPostmaster(plan.postmaster);
  const o = plan.options;
  const acks: number[] = [];
  const floor = await senderOf(plan.floor.target, plan.floor.ids, []);
  const bot = await senderOf(plan.bot.target, plan.bot.ids, acks);
  const f = slices(plan.floor.ids, o);
  const b = slices(plan.bot.ids, o);
  try {
    await closedLoop(f.warm, o.concurrency, floor.send);
    await closedLoop(b.warm, o.concurrency, bot.send);
    const warmAcks = acks.length;
    const [fullFloor, fullBot] = await alternating(
      ROUNDS,
      { items: f.full, run: (ids) => closedLoop(ids, o.concurrency, floor.send) },
      { items: b.full, run: (ids) => closedLoop(ids, o.concurrency, bot.send) },
      beforeRound,
    );
    const [rateFloor, rateBot] = await alternating(
      ROUNDS,
      { items: f.rate, run: (ids) => openLoop(ids, o.ratePerSecond, floor.send) },
      { items: b.rate, run: (ids) => openLoop(ids, o.ratePerSecond, bot.send) },
      beforeRound,
    );
    return {
      full: { floor: fullFloor, bot: fullBot },
      rate: { floor: rateFloor, bot: rateBot },
      acks: acks.slice(warmAcks),
    };
  } finally {
    floor.close();
    bot.close();
  }
}

const port = parentPort;
const plan = (workerData as { decisionLoad?: LoadPlan } | null)?.decisionLoad;
if (!isMainThread && port && plan) {
  // Before each round, this thread's heap and then the servers'.
  const beforeRound = () => {
    collectBeforeRound();
    const collected = new Promise<void>((resolve) => port.once('message', () => resolve()));
    port.postMessage({ collect: true } satisfies Message);
    return collected;
  };
  run(plan, beforeRound).then(
    (outcome) =>
      port.postMessage({ done: onClock(outcome, performance.timeOrigin) } satisfies Message),
    (err: unknown) =>
      port.postMessage({ failed: String((err as Error).stack ?? err) } satisfies Message),
  );
}
