import type { DecisionOptions } from './chat-decisions';
import { decisionGoals, printDecisions, printFanout, printGoals, verdict } from './chat-report';
import { ACK_GOAL_MS, type SlowSlackResult } from './slack-ack-bench';
import type { SlackDecisionResults } from './slack-decisions-bench';
import type { SlackFanoutResult } from './slack-fanout-bench';
import { ms, out, table } from './stats';

export function printSlackDecisions(r: SlackDecisionResults, o: DecisionOptions) {
  printDecisions(
    {
      describe:
        `Decisions from Slack messages: signed block_actions posts (Approve) to /slack/events ` +
        `(Bolt's ExpressReceiver on the server's app), done when the decided message reaches ` +
        `the click's own response_url (a receiver in a process of its own, as Slack is; Bolt ` +
        `acks first, then the listener decides and responds)`,
      bot: 'bot: Approve click',
    },
    r,
    o,
  );
  const a = r.ack;
  out(
    `Bolt's ack (HTTP 200 to the click's post) in the same runs, ${a.n} clicks: ` +
      `p50 ${ms(a.p50)}, p95 ${ms(a.p95)}, p99 ${ms(a.p99)}, max ${ms(a.max)} ms.`,
  );
  out();
  printGoals(decisionGoals(r, o));
}

export function printSlowSlack(s: SlowSlackResult) {
  out(
    `Slow Slack: the fake answers every Web API call and response_url post after ` +
      `${(s.delayMs / 1000).toFixed(0)} s. ${s.clicks} Approve clicks and ${s.commands} ` +
      `'/access help' from people not met before (users.info first), interleaved, open loop ` +
      `at ${s.ratePerSecond}/s. ack: post to HTTP 200; answered: from when due to the answer ` +
      `at the response_url. Milliseconds.`,
  );
  const a = s.ack;
  out(
    table(
      ['', 'n', 'p50', 'p95', 'p99', 'max', 'errors', `every ack < ${ACK_GOAL_MS} ms`],
      [
        [
          'ack',
          String(a.n),
          ms(a.p50),
          ms(a.p95),
          ms(a.p99),
          ms(a.max),
          '',
          verdict(a.max < ACK_GOAL_MS),
        ],
        [
          'answered',
          String(s.done.count),
          ms(s.done.latency.p50),
          ms(s.done.latency.p95),
          ms(s.done.latency.p99),
          ms(s.done.latency.max),
          String(s.done.errors),
          '',
        ],
      ],
    ),
  );
  if (s.done.firstError) out(`first error: ${s.done.firstError}`);
  out(
    `Measured after one '/access help' sent as the app started, whose ack took ` +
      `${ms(s.startupAckMs)} ms: Bolt calls auth.test when the app is made and holds every ` +
      `request until it answers, so only the first ${(s.delayMs / 1000).toFixed(0)} s after a ` +
      `start wait for a slow Slack.`,
  );
}

export function printSlackFanout(f: SlackFanoutResult) {
  printFanout(
    f,
    `Fan-out: one request, ${f.approvers} Slack approvers (a group), each with its message posted ` +
      `to their DM by the outbox (${f.postSeconds.toFixed(1)} s, ${f.postRefused} 429s); one ` +
      `clicks Approve over HTTP and the message is replaced at its response_url ` +
      `(${Number.isFinite(f.replacedSeconds) ? f.replacedSeconds.toFixed(2) : '-'} s); the ` +
      `dispatcher (real clock and sleeps) chat.update's the other ${f.approvers - 1} through the ` +
      `fake Slack, which answers 429 with Retry-After beyond 20 chat.* calls a second per ` +
      `workspace and 1 chat.postMessage a second per channel (SLACK_LIMITS; the dispatcher ` +
      `counts 20 a second in windows 150 ms longer, for network delays). Slack documents ` +
      `chat.update as Tier 3 (50+ a minute per workspace, bursts welcome), not per channel: 20 ` +
      `a second is already a burst.`,
  );
}
