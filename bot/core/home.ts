import { HOME_LIST_LIMIT, type HomeData } from '../../cards/builders/home';
import type { Actor } from '../../server/domain/actor';
import type { Clock } from '../../server/domain/clock';
import type { Services } from '../../server/domain/services';

/**
 * What a person's Home shows, read as the commands `access`, `requests` and `approvals` read
 * it, with the actor's own rights. Only the part shown is loaded in full; the rest is counted.
 */
export async function homeDataOf(
  services: Services,
  clock: Clock,
  actor: Actor,
): Promise<HomeData> {
  const [assignments, open, pending] = await Promise.all([
    services.assignments.listMine(actor),
    services.requests.openMine(actor),
    services.requests.pendingFor(actor),
  ]);
  const shown = assignments.slice(0, HOME_LIST_LIMIT);
  const names = new Map<string, string>();
  for (const a of shown) {
    if (!names.has(a.packageId)) {
      names.set(a.packageId, (await services.packages.get(a.packageId)).name);
    }
  }
  const ids = (list: Array<{ id: string }>) => list.slice(0, HOME_LIST_LIMIT).map((r) => r.id);
  return {
    access: shown.map((a) => ({
      packageName: names.get(a.packageId)!,
      state: a.state,
      endAt: a.endAt,
      extensionAllowed: a.policySnapshot.extensionAllowed,
    })),
    accessTotal: assignments.length,
    requests: await services.requestViews.many(ids(open)),
    requestsTotal: open.length,
    approvals: await services.requestViews.many(ids(pending)),
    approvalsTotal: pending.length,
    now: clock.now(),
  };
}
