import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { User } from '../db/entities';
import type { Actor } from '../server/domain/actor';
import type { Services } from '../server/domain/services';
import type { Section } from './chat-sections';
import {
  profileDecide,
  timeBareUpdates,
  timeDecisions,
  verifyDecisions,
  type ThroughputResult,
} from './decisions-bench';
import { seedHistory } from './history-seed';
import { APPROVER, seedDecisionData } from './seed';
import { out, table, seconds } from './stats';

/** DecisionService.decide next to a bare conditional UPDATE, both at a fixed concurrency. */
export async function decisionsSection(args: {
  ds: DataSource;
  db: Client;
  dbUrl: string;
  services: Services;
  options: {
    decisions: number;
    history: number;
    warmup: number;
    poolSize: number;
    concurrency: number;
  };
}): Promise<Section> {
  const { ds, db, services } = args;
  const { decisions: DECISIONS, history: HISTORY, warmup: DECISION_WARMUP } = args.options;
  const { poolSize: POOL_SIZE, concurrency: CONCURRENCY } = args.options;
  let t = process.hrtime.bigint();
  if (HISTORY > 0) {
    await seedHistory(db, HISTORY);
    out(`seeded ${HISTORY} old delivered requests and their assignments in ${seconds(t)} s`);
  }
  t = process.hrtime.bigint();
  const data = await seedDecisionData(db, DECISIONS + DECISION_WARMUP + 1);
  const approver = await ds.manager.findOneByOrFail(User, { id: APPROVER });
  const actor: Actor = {
    userId: approver.id,
    label: approver.email,
    isAdmin: false,
    channel: 'teams',
  };
  out(
    `seeded ${data.serviceRequestIds.length + data.bareRequestIds.length} pendingApproval requests in ${seconds(t)} s`,
  );

  t = process.hrtime.bigint();
  const bare = await timeBareUpdates(
    args.dbUrl,
    approver.id,
    data.bareRequestIds.slice(0, DECISIONS + DECISION_WARMUP),
    {
      poolSize: POOL_SIZE,
      concurrency: CONCURRENCY,
      warmup: DECISION_WARMUP,
    },
  );
  const [probeId, ...rest] = data.serviceRequestIds;
  const profile = await profileDecide(services.decisions, actor, probeId);
  const warm = rest.slice(0, DECISION_WARMUP);
  const timed = rest.slice(DECISION_WARMUP);
  await timeDecisions(services.decisions, actor, warm, CONCURRENCY);
  const decided = await timeDecisions(services.decisions, actor, timed, CONCURRENCY);
  // Provisioning is no part of a decision: the background worker's work, done here at once.
  const provisioned = process.hrtime.bigint();
  const grants = await services.fulfillment.runUntilIdle();
  out(`provisioned ${grants} grants after the decisions in ${seconds(provisioned)} s`);
  const decisionProblem = await verifyDecisions(db, data.serviceRequestIds);
  out(
    decisionProblem
      ? `DECISIONS NOT DELIVERED: ${decisionProblem}`
      : `decisions verified: ${data.serviceRequestIds.length} requests delivered, each with its assignment and fulfillment`,
  );
  out(`decisions timed in ${seconds(t)} s`);

  return {
    failures: decisionProblem ? 1 : 0,
    print: () => {
      out(
        `Decisions: ${CONCURRENCY} in flight, pool of ${POOL_SIZE}, after ${DECISION_WARMUP} warm-up` +
          (HISTORY ? `, ${HISTORY} old requests in the table` : '') +
          '; ' +
          `each approval creates an assignment and queues 1 fulfillment, provisioned afterwards by the worker (no-op connector).`,
      );
      const tput = (label: string, r: ThroughputResult, ratio: string) => [
        label,
        String(r.count),
        r.seconds.toFixed(2),
        r.perSecond.toFixed(0),
        ratio,
      ];
      out(
        table(
          ['', 'count', 'seconds', 'per second', 'vs baseline'],
          [
            tput('baseline: bare pg conditional UPDATE', bare, '1.00×'),
            tput(
              'DecisionService.decide(approve)',
              decided,
              `${(decided.perSecond / bare.perSecond).toFixed(2)}×`,
            ),
          ],
        ),
      );
      out(
        `One decide() sends ${profile.statements} statements in ${profile.transactions} transactions ` +
          `(${profile.kinds}); the baseline sends 1.`,
      );
      out();
    },
  };
}
