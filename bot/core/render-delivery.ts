import { approvalCard, decidedCard } from '../../cards/builders/request-cards';
import { endedCard, extendCard } from '../../cards/builders/assignment-notices';
import { homeCards } from '../../cards/builders/home';
import { taskCard } from '../../cards/builders/task-cards';
import type { CardReply } from '../../cards/reply';
import type { Platform } from '../../db/entities';
import type { Clock } from '../../server/domain/clock';
import type { ClaimedDelivery } from '../../server/domain/deliveries';
import type { Services } from '../../server/domain/services';
import type { Rendered } from './dispatcher';
import { homeDataOf } from './home';
import type { PlatformCard } from './transport';

/**
 * Renders what a delivery shows from the database as it is at send time, with the version of
 * its subject, so a slow or retried send never shows an older state than one already shown.
 */
export function deliveryRenderer(
  services: Services,
  clock: Clock,
  renderers: Partial<Record<Platform, (reply: CardReply) => PlatformCard>>,
  homeRenderers: Partial<Record<Platform, (cards: CardReply[]) => PlatformCard>> = {},
) {
  return async (d: ClaimedDelivery): Promise<Rendered | null> => {
    if (d.subjectType === 'user') {
      const renderHome = homeRenderers[d.platform];
      if (!renderHome || d.card !== 'home') return null;
      // The Home as its owner sees it, with their rights now; it has no version of its own.
      const actor = await services.directory.actorFor(d.subjectId, { channel: d.platform });
      const cards = homeCards(await homeDataOf(services, clock, actor));
      return { card: renderHome(cards), version: 0 };
    }
    const render = renderers[d.platform];
    if (!render) return null;
    if (d.subjectType === 'fulfillment') {
      const task = await services.tasks.view(d.subjectId);
      return task && { card: render(taskCard(task)), version: task.version };
    }
    if (d.subjectType === 'assignment') {
      const notice = await services.assignments.notice(d.subjectId);
      const reply = notice && (d.card === 'ended' ? endedCard(notice) : extendCard(notice));
      return notice && reply && { card: render(reply), version: notice.version };
    }
    if (d.subjectType !== 'request') return null;
    const [view] = await services.requestViews.many([d.subjectId]);
    if (!view) return null;
    const reply =
      d.card === 'outcome'
        ? decidedCard(view)
        : approvalCard(view, { now: clock.now(), reminder: d.card === 'reminder' });
    return { card: render(reply), version: view.version };
  };
}
