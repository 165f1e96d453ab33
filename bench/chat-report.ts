import type { DecisionOptions, DecisionResults } from './chat-decisions';
import { ROUNDS } from './decision-load';
import type { LoadResult } from './http-load';
import { fullGcsIn } from './full-gcs';
import { ms, out, table } from './stats';
import type { FanoutResult } from './teams-fanout-bench';

/** The report tables of the chat sections, written once for Teams and Slack. */

export const GOALS = { throughputShare: 0.5, p99Factor: 3, fanoutSeconds: 3 };

export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** How one platform's clicks were made, for the words and the table. */
export interface DecisionsPlatform {
  /** What a click is and where it goes, and when it counts as done. */
  describe: string;
  /** The bot's row label, e.g. 'bot: invoke approve'. */
  bot: string;
}

export function printDecisions(p: DecisionsPlatform, r: DecisionResults, o: DecisionOptions) {
  out(
    `${p.describe}; one pending request each, by a known approver; the floor is ` +
      `express + pg (pool of ${o.poolSize}), one transaction: conditional UPDATE + audit INSERT. ` +
      `Full speed: ${o.concurrency} in flight, ${o.fullSpeed} after ${o.warmup} warm-up. ` +
      `Fixed rate: open loop, ${o.ratePerSecond}/s for ${o.rateSeconds} s, latency from when ` +
      `each call was due. Floor and bot take turns, ${ROUNDS} rounds each per mode, so that a ` +
      `slow spell of the machine falls on both, each round after a full collection so that ` +
      `neither side pays for the other's garbage; the load generator runs on a thread of its ` +
      `own, as it would not share a deployed server's. Milliseconds. Full GCs: full garbage ` +
      `collections of the servers' heap during the side's runs ` +
      `(measured on 2 cores: each kept both busy for about 100 ms, and the p99 of a fixed-rate ` +
      `side with one in its rounds showed it). CPU per call: milliseconds of CPU the bench ` +
      `process (servers and load generator) and PostgreSQL used per call during the side's ` +
      `runs; on 2 cores, the two together bound the full-speed rate.`,
  );
  out(
    table(
      [
        'mode',
        'side',
        'n',
        'seconds',
        'per second',
        'p50',
        'p95',
        'p99',
        'max',
        'errors',
        'full GCs',
        'CPU/call: bench',
        'PostgreSQL',
      ],
      [
        loadRow('full speed', 'floor: express + pg', r.full.floor),
        loadRow('full speed', p.bot, r.full.bot),
        loadRow(`${o.ratePerSecond}/s`, 'floor: express + pg', r.rate.floor),
        loadRow(`${o.ratePerSecond}/s`, p.bot, r.rate.bot),
      ],
    ),
  );
  for (const l of [r.full.floor, r.full.bot, r.rate.floor, r.rate.bot]) {
    if (l.firstError) out(`first error: ${l.firstError}`);
  }
}

export function loadRow(mode: string, side: string, l: LoadResult) {
  return [
    mode,
    side,
    String(l.count),
    l.seconds.toFixed(2),
    l.perSecond.toFixed(0),
    ms(l.latency.p50),
    ms(l.latency.p95),
    ms(l.latency.p99),
    ms(l.latency.max),
    String(l.errors),
    String(fullGcsIn(l.windows)),
    (l.cpu.bench / l.count).toFixed(2),
    l.cpu.postgres === null ? 'n/a' : (l.cpu.postgres / l.count).toFixed(2),
  ];
}

/** The decision goals: throughput share at full speed, p99 factor at the fixed rate. */
export function decisionGoals(r: DecisionResults, o: DecisionOptions): string[][] {
  const share = r.full.bot.perSecond / r.full.floor.perSecond;
  const factor = r.rate.bot.latency.p99 / r.rate.floor.latency.p99;
  return [
    [
      `throughput bot / floor ≥ ${GOALS.throughputShare * 100}%`,
      `${(share * 100).toFixed(1)}%`,
      verdict(share >= GOALS.throughputShare),
    ],
    [
      `p99 at ${o.ratePerSecond}/s bot / floor ≤ ${GOALS.p99Factor}×`,
      `${factor.toFixed(2)}×`,
      verdict(factor <= GOALS.p99Factor),
    ],
  ];
}

export function printGoals(rows: string[][]) {
  out(table(['goal', 'measured', 'verdict'], rows));
}

export function printTeamsDecisions(r: DecisionResults, o: DecisionOptions) {
  printDecisions(
    {
      describe:
        `Decisions from Teams cards: adaptiveCard/action 'approve' invokes over HTTP to ` +
        `/api/messages (CloudAdapter, no app id), done when the invoke's answer (the decided card) arrives`,
      bot: 'bot: invoke approve',
    },
    r,
    o,
  );
  out();
  printGoals(decisionGoals(r, o));
}

/** The fan-out table: `label` names what was updated and how. */
export function printFanout(f: FanoutResult, words: string, extra: string[][] = []) {
  out(words);
  out(
    table(
      ['', 'approvers', 'in reply', 'updated', '429s', 'seconds', `≤ ${GOALS.fanoutSeconds} s`],
      [
        [
          'approve → every message updated',
          String(f.approvers),
          String(f.inReply),
          String(f.updates),
          String(f.refused),
          Number.isFinite(f.seconds) ? f.seconds.toFixed(2) : '-',
          verdict(!f.problem && f.seconds <= GOALS.fanoutSeconds),
        ],
        ...extra,
      ],
    ),
  );
}

export function printTeamsFanout(f: FanoutResult) {
  printFanout(
    f,
    `Fan-out: one request, ${f.approvers} approvers (a group), each with its card posted by the ` +
      `outbox; one approves from the card over HTTP; the dispatcher (real clock and sleeps) ` +
      `updates the others (PUT) through the fake Bot Connector enforcing Teams' 30/s per tenant.`,
  );
}
