import type { RequestState } from '../../db/entities';
import type { Actor } from './actor';
import type { DomainContext } from './context';
import { NotFound } from './errors';
import type { RequestReads } from './request-reads';
import { prepared } from './sql';

/** Everything a card about one request shows, names resolved, as of `version`. */
export interface RequestView {
  id: string;
  number: number;
  state: RequestState;
  version: number;
  createdAt: Date;
  package: { id: string; name: string };
  requester: { id: string; displayName: string; email: string };
  justification: string | null;
  requestedStart: Date | null;
  requestedEnd: Date | null;
  policyName: string | null;
  /** The policy asks approvers to give a reason. */
  approverReasonRequired: boolean;
  approvalDueAt: Date | null;
  roles: Array<{ resource: string; role: string }>;
  decision: { by: string | null; at: Date | null; reason: string | null } | null;
  cancellation: { by: string | null; at: Date | null; reason: string | null } | null;
  assignment: { id: string; state: string; endAt: Date | null } | null;
}

/**
 * The columns of a view, from request rows `r` of `requests` and assignment rows of
 * `assignments`: the tables themselves, or the rows a statement has just written
 * (decision-write.ts renders the decided card in the statement that decides).
 */
export const viewSelect = (requests: string, assignments: string) => `
  SELECT r.id, r.number, r.state, r.version, r.created_at, r.justification, r.requested_start,
         r.requested_end, r.policy_snapshot->>'name' AS policy_name,
         coalesce((r.policy_snapshot->>'approverJustificationRequired')::boolean, false) AS reason_required, r.approval_due_at,
         p.id AS package_id, p.name AS package_name,
         t.id AS requester_id, t.display_name AS requester_name, t.email AS requester_email,
         r.decided_at, r.decision_reason, d.display_name AS decided_by,
         r.canceled_at, r.cancel_reason, c.display_name AS canceled_by,
         a.id AS assignment_id, a.state AS assignment_state, a.end_at,
         coalesce((SELECT json_agg(json_build_object('resource', res.display_name, 'role', rr.name)
                                   ORDER BY res.display_name, rr.name)
                     FROM access_package_resource_roles aprr
                     JOIN resource_roles rr ON rr.id = aprr.resource_role_id
                     JOIN resources res ON res.id = rr.resource_id
                    WHERE aprr.package_id = p.id), '[]') AS roles
    FROM ${requests} r
    JOIN access_packages p ON p.id = r.package_id
    JOIN users t ON t.id = r.target_user_id
    LEFT JOIN users d ON d.id = r.decided_by
    LEFT JOIN users c ON c.id = r.canceled_by
    LEFT JOIN ${assignments} a ON a.id = r.assignment_id`;

// One statement: a card is rendered for every approver on every change, so this stays cheap.
const VIEW_SQL = `${viewSelect('access_requests', 'assignments')} WHERE r.id = ANY($1)`;
// The same for one request, with a plan PostgreSQL keeps: a click shows its card this way.
const ONE_VIEW_SQL = `${viewSelect('access_requests', 'assignments')} WHERE r.id = $1`;

type Row = Record<string, unknown>;
const date = (v: unknown) => (v ? new Date(v as string) : null);

export function viewOf(r: Row): RequestView {
  const decided = r.decided_at !== null;
  const canceled = r.canceled_at !== null;
  return {
    id: r.id as string,
    number: Number(r.number),
    state: r.state as RequestState,
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
    package: { id: r.package_id as string, name: r.package_name as string },
    requester: {
      id: r.requester_id as string,
      displayName: r.requester_name as string,
      email: r.requester_email as string,
    },
    justification: r.justification as string | null,
    requestedStart: date(r.requested_start),
    requestedEnd: date(r.requested_end),
    policyName: r.policy_name as string | null,
    approverReasonRequired: r.reason_required === true,
    approvalDueAt: date(r.approval_due_at),
    roles: r.roles as RequestView['roles'],
    decision: decided
      ? {
          by: r.decided_by as string | null,
          at: date(r.decided_at),
          reason: r.decision_reason as string | null,
        }
      : null,
    cancellation: canceled
      ? {
          by: r.canceled_by as string | null,
          at: date(r.canceled_at),
          reason: r.cancel_reason as string | null,
        }
      : null,
    assignment: r.assignment_id
      ? {
          id: r.assignment_id as string,
          state: r.assignment_state as string,
          endAt: date(r.end_at),
        }
      : null,
  };
}

/** Request views for cards. Reading one checks the reader's rights, as every read does. */
export class RequestViews {
  constructor(
    private readonly ctx: DomainContext,
    private readonly reads: RequestReads,
  ) {}

  async get(actor: Actor, id: string): Promise<RequestView> {
    await this.reads.get(actor, id);
    return this.one(id);
  }

  /** The view of one request the caller has already been allowed to see. */
  async one(id: string): Promise<RequestView> {
    const [row] = await prepared(this.ctx.db.manager, 'request.view', ONE_VIEW_SQL, [id]);
    if (!row) throw new NotFound('Request', id);
    return viewOf(row);
  }

  /** Views of requests the caller has already been allowed to see, in the order given. */
  async many(ids: string[]): Promise<RequestView[]> {
    if (!ids.length) return [];
    const rows: Row[] = await this.ctx.db.query(VIEW_SQL, [ids]);
    const byId = new Map(rows.map((r) => [r.id as string, viewOf(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
