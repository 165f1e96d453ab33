import type { App, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { replies } from '../../cards/builders/replies';
import { renderSlack } from '../../cards/render-slack';
import type { CardReply } from '../../cards/reply';
import {
  DIALOG_CALLBACK_ID,
  renderSlackAnswerModal,
  renderSlackModal,
} from '../../cards/render-slack-modal';
import type { Chat, ChatReply } from '../core/chat';
import { inputsOf } from './payload';
import { showReply } from './show-reply';
import { slackTurn } from './turn';

type Clicked = { conversationId: string; messageId: string };

// A trigger_id is good for 3 s after Slack sent it: a modal opened later than this after the
// payload came in is logged as a warning, to show the path has grown too slow.
const SLOW_OPEN_MS = 2000;
const TRIGGER_SPENT = new Set(['expired_trigger_id', 'exchanged_trigger_id']);

export interface AnswerVia {
  client: webApi.WebClient;
  /** Who asked: a reply's file goes into their DM with the app. */
  userId: string;
  /** Shows a reply: ephemerally, in place of the clicked message, in the DM, or on the Home. */
  show: (reply: CardReply) => Promise<unknown>;
  /**
   * What a command or click carries to open a modal; a DM carries none, so there a dialog is
   * shown as its card in a message, whose button brings a click that has a trigger.
   */
  trigger?: {
    id: string;
    /** performance.now() when the payload came in: its trigger expires 3 s after. */
    receivedAt: number;
    /** Where a modal that did not open, or a reply's notice, is said; unset: `show`. */
    tell?: (reply: CardReply) => Promise<unknown>;
    /** The message clicked, if a real one: the dialog's answer may replace it. */
    clicked?: Clicked;
  };
  logger: Logger;
}

/**
 * Where a reply to a command, click or DM goes: a dialog opens as a modal with the payload's
 * trigger (the message it was opened from stays as it is); anything else is shown with
 * `show`, a file first put into the person's DM. A modal Slack would not open is never
 * silent: the person is told.
 */
export async function answer(reply: ChatReply, via: AnswerVia): Promise<void> {
  const { trigger, logger } = via;
  if (!reply.dialog || !trigger) {
    await showReply(via.client, via.userId, reply, via.show, logger);
    if (reply.notice && trigger?.tell) await trigger.tell(reply.notice);
    return;
  }
  try {
    const view = renderSlackModal(
      reply,
      trigger.clicked && reply.dialog.answerReplacesCard ? { clicked: trigger.clicked } : {},
    );
    await via.client.views.open({ trigger_id: trigger.id, view: view as never });
    const ms = Math.round(performance.now() - trigger.receivedAt);
    logger[ms > SLOW_OPEN_MS ? 'warn' : 'debug']({ card: reply.card, ms }, 'modal opened');
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    logger.warn(
      { card: reply.card, code, err: { message: (err as Error).message } },
      'modal not opened',
    );
    const notOpened = TRIGGER_SPENT.has(code ?? '')
      ? replies.dialogNotOpened()
      : replies.internalError();
    await (trigger.tell ?? via.show)(notOpened);
  }
}

const METADATA = z.object({
  verb: z.string().max(64),
  data: z.record(z.string(), z.unknown()),
  clicked: z
    .object({ conversationId: z.string().max(64), messageId: z.string().max(64) })
    .optional(),
});

/** What a modal carries for its submission; nothing when it cannot be read. */
function metadataOf(raw: unknown) {
  try {
    const parsed = METADATA.safeParse(JSON.parse(String(raw ?? '')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;
type ViewAnswer =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: Json };

/**
 * The submission of a modal we opened: its verb and data (from private_metadata, which only
 * we can write) and what was typed go to the same chat action a Teams card's button reaches.
 * Slack takes a submission's answer only in the acknowledgement, so the chat layer's work
 * comes first here: it is one domain call. Errors beside fields stay on the form; any other
 * answer replaces the form in the modal and, for a dialog asked from a card (a decision with
 * its reason), replaces that card too.
 */
export function registerDialogs(app: App, o: { chat: Chat; logger: Logger }) {
  app.view(DIALOG_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const log = o.logger.child({ userId: body.user?.id });
    const meta = metadataOf(view?.private_metadata);
    let response: ViewAnswer;
    let replaced: { clicked: Clicked; reply: ChatReply } | undefined;
    try {
      const teamId = body.team?.id ?? body.user?.team_id ?? view?.team_id ?? '';
      const turn = slackTurn(teamId, String(body.user?.id ?? ''), client, meta?.clicked);
      const reply = meta
        ? await o.chat.action(turn, meta.verb, { ...inputsOf(view.state?.values), ...meta.data })
        : replies.unreadableCard();
      response = viewAnswer(reply, view, meta?.clicked);
      if (meta?.clicked && !reply.dialog) replaced = { clicked: meta.clicked, reply };
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, 'modal submission failed');
      response = viewAnswer(replies.internalError(), view, undefined);
    }
    await ack(response as never);
    if (!replaced) return;
    try {
      await client.chat.update({
        channel: replaced.clicked.conversationId,
        ts: replaced.clicked.messageId,
        ...(renderSlack(replaced.reply) as { text: string; blocks: never[] }),
      });
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'clicked message not updated');
    }
  });
}

/** The form again with errors only beside its inputs: Slack shows them there; else a new view. */
function viewAnswer(
  reply: ChatReply,
  submitted: { title?: { text?: string }; blocks?: unknown[] } | undefined,
  clicked: Clicked | undefined,
): ViewAnswer {
  if (reply.dialog) {
    const inputs = new Set(
      ((submitted?.blocks ?? []) as Json[])
        .filter((b) => b.type === 'input')
        .map((b) => String(b.block_id)),
    );
    const errors = Object.entries(reply.dialog.errors);
    if (errors.length && errors.every(([field]) => inputs.has(field))) {
      return { response_action: 'errors', errors: Object.fromEntries(errors) };
    }
    return {
      response_action: 'update',
      view: renderSlackModal(reply, clicked && reply.dialog.answerReplacesCard ? { clicked } : {}),
    };
  }
  return {
    response_action: 'update',
    view: renderSlackAnswerModal(reply, {
      title: submitted?.title?.text || 'Accessbot',
      closeLabel: replies.dialogClose(),
    }),
  };
}
