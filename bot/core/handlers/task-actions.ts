import { taskCard } from '../../../cards/builders/task-cards';
import type { ActionData } from '../../../cards/verbs';
import { AlreadyDecided } from '../../../server/domain/errors';
import type { TaskView } from '../../../server/domain/manual-tasks';
import type { ChatReply } from '../chat';
import { shownInReply, type HandlerContext } from '../handler-context';

/**
 * Done or Failed on a manual task card. The first answer wins; a later click (or one on a
 * card older than the task) gets the card as the task now stands.
 */
export async function completeTask(
  ctx: HandlerContext,
  outcome: 'done' | 'failed',
  d: ActionData<'taskDone'>,
): Promise<ChatReply> {
  let view: TaskView;
  try {
    view = await ctx.services.tasks.complete(ctx.actor, d.fulfillmentId, {
      outcome,
      generation: d.generation,
      ...(d.reason?.trim() && { reason: d.reason.trim() }),
    });
  } catch (err) {
    if (!(err instanceof AlreadyDecided)) throw err;
    // Only after the rights check: the clicker may see the task.
    const current = await ctx.services.tasks.view(d.fulfillmentId);
    if (!current) throw err;
    view = current;
  }
  await shownInReply(ctx, view.version);
  return taskCard(view);
}
