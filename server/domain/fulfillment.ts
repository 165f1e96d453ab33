import { randomUUID } from 'node:crypto';
import { ACTIVE_STATES_SQL, type ResourceType } from '../../db/entities';
import { inQueues } from '../work/queues';
import type { DomainContext } from './context';
import { deriveAssignmentStates, lockAssignments, type FailedRoles } from './assignment-state';
import { askOwners } from './manual-tasks';
import { rows } from './sql';
import type { ProvisioningTarget } from './ports';

/** How long a claimed row is left alone; a worker killed mid-call loses it after this. */
const CLAIM_LEASE_MS = 5 * 60_000;
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
const MAX_ERROR_LENGTH = 1000;
/** Calls in flight; the rows claimed per pass are a few rounds of them, well within a lease. */
const CONCURRENCY = 32;
const BATCH = 8 * CONCURRENCY;
/** Outcomes recorded per transaction. */
const RECORD_BATCH = 200;

export interface FulfillmentOptions {
  /** Rows claimed per pass. */
  batch?: number;
  /** Assignments worked on at once; one assignment's roles go one after the other. */
  concurrency?: number;
}

interface ClaimedRow {
  id: string;
  assignment_id: string;
  action: 'grant' | 'revoke';
  generation: number;
  attempts: number;
  user_id: string;
  email: string;
  resource_role_id: string;
  role_name: string;
  resource_id: string;
  resource_type: ResourceType;
  origin_id: string;
  attributes: Record<string, unknown>;
  retained: boolean;
}

interface Outcome {
  id: string;
  assignmentId: string;
  action: 'grant' | 'revoke';
  generation: number;
  state: 'delivered' | 'failed' | 'awaiting';
  error: string | null;
  nextAttemptAt: Date | null;
}

/**
 * Turns queued fulfillment rows (fulfillment-queue.ts) into connector calls, after the change
 * that queued them has committed, in any number of processes: rows are claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease, and a result is recorded only on the claim and the
 * generation that produced it.
 */
export class FulfillmentService {
  readonly name = 'fulfillment';
  // Two passes at once: one's claim and records overlap the other's connector calls.
  readonly lanes = 2;

  constructor(
    private readonly ctx: DomainContext,
    private readonly opts: FulfillmentOptions = {},
  ) {}

  /**
   * One pass: claims due rows, calls the connectors, and records the outcomes in batches as
   * they come in (a slow call holds back only its own batch's record).
   */
  async runOnce(): Promise<number> {
    const token = randomUUID();
    const claimed = await this.claim(token);
    let ready: Outcome[] = [];
    let recording: Promise<void> = Promise.resolve();
    const record = () => {
      const outcomes = ready;
      ready = [];
      recording = recording.then(() => this.settle(token, outcomes));
      // Seen at the last await below; until then, not an unhandled rejection.
      recording.catch(() => undefined);
    };
    await inQueues(
      claimed,
      (r) => r.assignment_id,
      this.opts.concurrency ?? CONCURRENCY,
      async (queue) => {
        const outcomes: Outcome[] = [];
        for (const row of queue) outcomes.push(await this.perform(row));
        ready.push(...outcomes);
        if (ready.length >= RECORD_BATCH) record();
      },
    );
    if (ready.length) record();
    await recording;
    return claimed.length;
  }

  /** Passes until nothing is due: for tests and tools that want the work done now. */
  async runUntilIdle(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
  }

  private async claim(token: string): Promise<ClaimedRow[]> {
    const now = this.ctx.clock.now();
    return this.ctx.db.query(
      `WITH due AS (
         SELECT f.id FROM fulfillments f
          WHERE f.state IN ('pending', 'failed')
            AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= $3)
            AND (f.claimed_until IS NULL OR f.claimed_until <= $3)
            AND EXISTS (SELECT 1 FROM assignments a
                         WHERE a.id = f.assignment_id AND a.state <> 'scheduled')
          ORDER BY f.next_attempt_at NULLS FIRST
          LIMIT $4
          FOR UPDATE OF f SKIP LOCKED),
       claimed AS (
         UPDATE fulfillments f
            SET attempts = f.attempts + 1, claim_token = $1, claimed_until = $2, updated_at = $3
           FROM due WHERE f.id = due.id
          RETURNING f.*)
       SELECT c.id, c.assignment_id, c.action, c.generation, c.attempts, a.user_id, u.email,
              c.resource_role_id, rr.name AS role_name, r.id AS resource_id,
              r.type AS resource_type, r.origin_id, r.attributes,
              -- Another active assignment of the same user still holds this role: keep it.
              (c.action = 'revoke' AND EXISTS (
                 SELECT 1 FROM fulfillments o JOIN assignments oa ON oa.id = o.assignment_id
                  WHERE o.resource_role_id = c.resource_role_id AND o.action = 'grant'
                    AND o.state = 'delivered' AND oa.user_id = a.user_id AND oa.id <> a.id
                    AND oa.state IN ${ACTIVE_STATES_SQL})) AS retained
         FROM claimed c
         JOIN assignments a ON a.id = c.assignment_id
         JOIN users u ON u.id = a.user_id
         JOIN resource_roles rr ON rr.id = c.resource_role_id
         JOIN resources r ON r.id = rr.resource_id
        ORDER BY c.assignment_id, r.display_name, rr.name`,
      [token, new Date(now.getTime() + CLAIM_LEASE_MS), now, this.opts.batch ?? BATCH],
    );
  }

  /** Calls the connector; the outcome is recorded with the assignment's new state. */
  private async perform(row: ClaimedRow): Promise<Outcome> {
    const target: ProvisioningTarget = {
      user: { id: row.user_id, email: row.email },
      resource: {
        id: row.resource_id,
        type: row.resource_type,
        originId: row.origin_id,
        attributes: row.attributes,
      },
      role: { id: row.resource_role_id, name: row.role_name },
      actionId: `${row.id}.${row.generation}`,
    };
    const done = {
      id: row.id,
      assignmentId: row.assignment_id,
      action: row.action,
      generation: row.generation,
    };
    try {
      const outcome = row.retained ? undefined : await this.ctx.provisioner[row.action](target);
      // A person does it: the row waits for their Done or Failed (manual-tasks.ts).
      if (outcome === 'handedToPerson') {
        return { ...done, state: 'awaiting', error: null, nextAttemptAt: null };
      }
      return { ...done, state: 'delivered', error: null, nextAttemptAt: null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const now = this.ctx.clock.now();
      const delay = RETRY_DELAYS_MS[Math.min(row.attempts - 1, RETRY_DELAYS_MS.length - 1)];
      this.ctx.logger.warn(
        {
          fulfillmentId: row.id,
          action: row.action,
          resourceType: row.resource_type,
          err: message,
        },
        'fulfillment failed',
      );
      return {
        ...done,
        state: 'failed',
        error: message.slice(0, MAX_ERROR_LENGTH),
        nextAttemptAt: new Date(now.getTime() + delay),
      };
    }
  }

  /**
   * Records the outcomes still ours (same claim, same generation) and releases the claims;
   * asks the owners to do what was handed to a person; and derives the states of assignments
   * whose grants had outcomes (an assignment's state counts its grants only: revocations, by
   * far the most after a mass expiry, need no lock and no derivation).
   */
  private async settle(token: string, outcomes: Outcome[]) {
    await this.ctx.db.transaction(async (em) => {
      const now = this.ctx.clock.now();
      const granted = outcomes.filter((o) => o.action === 'grant').map((o) => o.assignmentId);
      const before = await lockAssignments(em, [...new Set(granted)]);
      const recorded = await rows<{
        id: string;
        assignment_id: string;
        state: string;
        last_error: string | null;
      }>(
        em,
        `UPDATE fulfillments f
            SET state = o.state, last_error = o.error, next_attempt_at = o.next_attempt_at,
                claim_token = NULL, claimed_until = NULL, completed_by = NULL,
                completed_at = NULL, updated_at = $6
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[])
                AS o(id, generation, state, error, next_attempt_at)
          WHERE f.id = o.id AND f.claim_token = $7 AND f.generation = o.generation
          RETURNING f.id, f.assignment_id, f.state, f.last_error`,
        [
          outcomes.map((o) => o.id),
          outcomes.map((o) => o.generation),
          outcomes.map((o) => o.state),
          outcomes.map((o) => o.error),
          outcomes.map((o) => o.nextAttemptAt),
          now,
          token,
        ],
      );
      // A row given a new action while its call ran: the result is not the new action's.
      if (recorded.length < outcomes.length) {
        await em.query(
          `UPDATE fulfillments SET claim_token = NULL, claimed_until = NULL
            WHERE id = ANY($1) AND claim_token = $2`,
          [outcomes.map((o) => o.id), token],
        );
      }
      for (const task of recorded.filter((r) => r.state === 'awaiting')) {
        await askOwners(em, this.ctx.admins, task.id);
      }
      const failed = new Map<string, FailedRoles>();
      for (const r of recorded.filter((r) => r.state === 'failed')) {
        failed.set(r.assignment_id, [
          ...(failed.get(r.assignment_id) ?? []),
          { id: r.id, error: r.last_error },
        ]);
      }
      if (before.size) await deriveAssignmentStates(em, this.ctx.clock, before, failed);
    });
  }
}
