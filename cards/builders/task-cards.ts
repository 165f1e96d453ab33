import type { TaskView } from '../../server/domain/manual-tasks';
import type { CardReply } from '../reply';
import { when } from '../texts';

const fact = (title: string, value: string) => ({ title, value });

/**
 * A grant or revoke a person does by hand (a resource with the manual connector): what to do
 * and Done / Failed while it waits; who settled it, and how, once someone has.
 */
export function taskCard(v: TaskView): CardReply {
  const todo =
    v.action === 'grant'
      ? `Give ${v.user.displayName} (${v.user.email}) the ${v.role} role on ${v.resource.name}.`
      : `Take the ${v.role} role on ${v.resource.name} away from ${v.user.displayName} (${v.user.email}).`;
  const facts = [
    fact('Resource', `${v.resource.name} (${v.resource.originId})`),
    fact('Role', v.role),
    fact('User', `${v.user.displayName} (${v.user.email})`),
  ];
  if (v.state === 'awaiting') {
    return {
      card: 'task',
      data: {
        heading: v.action === 'grant' ? 'Access to set up by hand' : 'Access to remove by hand',
        text: `${todo} Then say so here.`,
        facts,
        reasonLabel: 'What went wrong (needed for Failed)',
        doneLabel: 'Done',
        failedLabel: 'Failed',
        fulfillmentId: v.id,
        generation: v.generation,
      },
    };
  }
  const c = v.completion;
  const outcome =
    v.state === 'delivered' ? 'Done' : v.state === 'failed' ? 'Failed' : 'Handled elsewhere';
  return {
    card: 'receipt',
    data: {
      heading: `${outcome}: ${v.action === 'grant' ? 'access set up' : 'access removed'}`,
      text: todo,
      facts: [
        ...facts,
        ...(c ? [fact('By', c.by ?? 'Someone'), fact('When', when(c.at))] : []),
        ...(c?.reason ? [fact('Reason', c.reason)] : []),
      ],
    },
  };
}
