import type { EntityManager } from 'typeorm';
import { AccessRequest, OPEN_REQUEST_STATES, type RequestState } from '../../db/entities';
import { AlreadyDecided } from './errors';

/**
 * "Already approved by X at T": what a late approver, or a second cancel, is told. Reloads the
 * request so the answer reflects whoever won, not what the caller saw.
 */
export async function alreadyDecided(
  em: EntityManager,
  requestId: string,
): Promise<AlreadyDecided> {
  const request = await em.findOneByOrFail(AccessRequest, { id: requestId });
  const byId = request.state === 'canceled' ? request.canceledBy : request.decidedBy;
  const at = request.state === 'canceled' ? request.canceledAt : request.decidedAt;
  const [by] = byId
    ? await em.query(`SELECT display_name FROM users WHERE id = $1`, [byId])
    : [undefined];
  const who = by?.display_name ?? null;
  const when = at ? at.toISOString() : null;
  let message: string;
  if (request.state === 'canceled') {
    message = who
      ? `Request #${request.number} was already canceled by ${who} at ${when}.`
      : `Request #${request.number} was already canceled at ${when}: ${request.cancelReason}`;
  } else if (request.state === 'denied') {
    message = `Request #${request.number} was already denied by ${who ?? 'the system'} at ${when}.`;
  } else if ((OPEN_REQUEST_STATES as readonly RequestState[]).includes(request.state)) {
    message = `Request #${request.number} is past its approval deadline (${request.approvalDueAt?.toISOString()}) and can no longer be decided.`;
  } else {
    message = who
      ? `Request #${request.number} was already approved by ${who} at ${when}.`
      : `Request #${request.number} was already approved automatically at ${when}.`;
  }
  return new AlreadyDecided(message, { state: request.state, by: who, at });
}
