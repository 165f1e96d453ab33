import { plain, slackBlocks } from './render-slack';
import type { CardReply } from './reply';
import { fitBlocks, LIMITS, viewProblems } from './slack-limits';

type Json = Record<string, unknown>;

/** Every modal we open answers to one view listener; what to do rides in private_metadata. */
export const DIALOG_CALLBACK_ID = 'accessbot-dialog';

/**
 * A dialog card as a Slack modal, from the same template Teams shows: the card's body (its
 * inputs holding what was typed), its first action as the submit button. That action's verb
 * and data (ids only) go into private_metadata, with what the adapter adds in `context`, and
 * come back with the submission to reach the handler a Teams click reaches.
 */
export function renderSlackModal(reply: CardReply, context: Json = {}): Json {
  const { dialog } = reply;
  if (!dialog) throw new Error(`The ${reply.card} card is not a dialog.`);
  const { blocks, actions } = slackBlocks(reply, 'modal');
  const submit = actions.find((a) => a.type === 'Action.Execute');
  if (!submit) throw new Error(`The ${reply.card} card has no action to submit.`);
  return withinLimits({
    type: 'modal',
    callback_id: DIALOG_CALLBACK_ID,
    title: plain(dialog.title, LIMITS.viewText),
    submit: plain(String(submit.title ?? ''), LIMITS.viewText),
    close: plain(dialog.closeLabel, LIMITS.viewText),
    private_metadata: JSON.stringify({ verb: submit.verb, data: submit.data ?? {}, ...context }),
    blocks: fitBlocks(blocks, 'modal'),
  });
}

/**
 * The answer to a submission, shown in the modal in place of the form: the card's words with
 * a close button only (a button in a modal has no message to replace, and an input nothing to
 * submit it).
 */
export function renderSlackAnswerModal(
  reply: CardReply,
  chrome: { title: string; closeLabel: string },
): Json {
  return withinLimits({
    type: 'modal',
    callback_id: DIALOG_CALLBACK_ID,
    title: plain(chrome.title, LIMITS.viewText),
    close: plain(chrome.closeLabel, LIMITS.viewText),
    blocks: fitBlocks(
      slackBlocks(reply, 'modal').blocks.filter((b) => b.type !== 'input'),
      'modal',
    ),
  });
}

/** What is left after fitting (the metadata, which cannot be cut) is a bug: said loudly. */
function withinLimits(view: Json): Json {
  const problems = viewProblems(view);
  if (problems.length) throw new Error(`Slack would refuse this modal: ${problems.join('; ')}`);
  return view;
}
