import type { LoadResult } from './http-load';
import { ms, out, table } from './stats';
import type { FanoutResult } from './teams-fanout-bench';
import {
  ROUNDS,
  type TeamsDecisionOptions,
  type TeamsDecisionResults,
} from './teams-decisions-bench';

export const GOALS = { throughputShare: 0.5, p99Factor: 3, fanoutSeconds: 3 };

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export function printTeamsDecisions(r: TeamsDecisionResults, o: TeamsDecisionOptions) {
  out(
    `Decisions from Teams cards: adaptiveCard/action 'approve' invokes over HTTP to /api/messages ` +
      `(CloudAdapter, no app id), one pending request each, by a known approver; the floor is ` +
      `express + pg (pool of ${o.poolSize}), one transaction: conditional UPDATE + audit INSERT. ` +
      `Full speed: ${o.concurrency} in flight, ${o.fullSpeed} after ${o.warmup} warm-up. ` +
      `Fixed rate: open loop, ${o.ratePerSecond}/s for ${o.rateSeconds} s, latency from when ` +
      `each call was due. Floor and bot take turns, ${ROUNDS} rounds each per mode, so that a ` +
      `slow spell of the machine falls on both. Milliseconds.`,
  );
  const row = (mode: string, side: string, l: LoadResult) => [
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
  ];
  out(
    table(
      ['mode', 'side', 'n', 'seconds', 'per second', 'p50', 'p95', 'p99', 'max', 'errors'],
      [
        row('full speed', 'floor: express + pg', r.full.floor),
        row('full speed', 'bot: invoke approve', r.full.bot),
        row(`${o.ratePerSecond}/s`, 'floor: express + pg', r.rate.floor),
        row(`${o.ratePerSecond}/s`, 'bot: invoke approve', r.rate.bot),
      ],
    ),
  );
  for (const l of [r.full.floor, r.full.bot, r.rate.floor, r.rate.bot]) {
    if (l.firstError) out(`first error: ${l.firstError}`);
  }
  const share = r.full.bot.perSecond / r.full.floor.perSecond;
  const factor = r.rate.bot.latency.p99 / r.rate.floor.latency.p99;
  out();
  out(
    table(
      ['goal', 'measured', 'verdict'],
      [
        [
          `throughput bot / floor ≥ ${GOALS.throughputShare * 100}%`,
          `${(share * 100).toFixed(0)}%`,
          verdict(share >= GOALS.throughputShare),
        ],
        [
          `p99 at ${o.ratePerSecond}/s bot / floor ≤ ${GOALS.p99Factor}×`,
          `${factor.toFixed(2)}×`,
          verdict(factor <= GOALS.p99Factor),
        ],
      ],
    ),
  );
}

export function printFanout(f: FanoutResult) {
  out(
    `Fan-out: one request, ${f.approvers} approvers (a group), each with its card posted by the ` +
      `outbox; one approves from the card over HTTP; the dispatcher (real clock and sleeps) ` +
      `updates the others through the fake Bot Connector enforcing Teams' 30/s per tenant.`,
  );
  out(
    table(
      ['', 'cards', 'in reply', 'updated (PUT)', '429s', 'seconds', `≤ ${GOALS.fanoutSeconds} s`],
      [
        [
          'approve → every card updated',
          String(f.approvers),
          String(f.inReply),
          String(f.updates),
          String(f.refused),
          Number.isFinite(f.seconds) ? f.seconds.toFixed(2) : '-',
          verdict(!f.problem && f.seconds <= GOALS.fanoutSeconds),
        ],
      ],
    ),
  );
}
