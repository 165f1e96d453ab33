import { renderTeamsCard } from './render-teams';
import type { CardReply } from './reply';
import { cut, fitBlocks, LIMITS, type Surface } from './slack-limits';

type Json = Record<string, unknown>;

/** A Slack message or view body: its blocks, and the text notifications show. */
export interface SlackSurface {
  text: string;
  blocks: Json[];
}

const STYLES: Record<string, string> = { positive: 'primary', destructive: 'danger' };
export const plain = (text: string, max: number) => ({ type: 'plain_text', text: cut(text, max) });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The same card Teams shows, as Block Kit: the builder's data goes through the card's template
 * (so the words are the Adaptive Card's, written once), and each element becomes its Block
 * Kit equivalent. A button's `action_id` is the card's verb; its `value` is the action's data,
 * which the Slack adapter hands to the same handler a Teams click reaches.
 */
export function renderSlack(reply: CardReply, surface: Surface = 'message'): SlackSurface {
  const { blocks, actions } = slackBlocks(reply, surface);
  pushActions(blocks, actions);
  return { text: fallbackText(blocks), blocks: fitBlocks(blocks, surface) };
}

/**
 * The card's body as blocks, and its own actions (the buttons at its foot) apart: a message
 * shows them as buttons, a modal makes its first the submit button.
 */
export function slackBlocks(
  reply: CardReply,
  surface: Surface,
): { blocks: Json[]; actions: Json[] } {
  const card = renderTeamsCard(reply.card, reply.data) as Json;
  const blocks: Json[] = [];
  let headed = false;
  const visit = (el: Json) => {
    switch (el.type) {
      case 'TextBlock': {
        const text = String(el.text ?? '');
        if (!text) return;
        if (!headed && el.weight === 'Bolder') {
          headed = true;
          blocks.push({ type: 'header', text: plain(text, LIMITS.headerText) });
        } else {
          blocks.push({
            type: 'section',
            text: mrkdwn(el.weight === 'Bolder' ? `*${text}*` : text),
          });
        }
        return;
      }
      case 'FactSet': {
        const facts = (el.facts as Array<{ title: string; value: string }>) ?? [];
        if (facts.length) {
          blocks.push({
            type: 'section',
            fields: facts.map((f) => mrkdwn(`*${f.title}*\n${f.value}`)),
          });
        }
        return;
      }
      case 'Container':
        for (const item of (el.items as Json[]) ?? []) visit(item);
        return;
      case 'ActionSet':
        pushActions(blocks, (el.actions as Json[]) ?? []);
        return;
      default:
        if (!String(el.type).startsWith('Input.')) return;
        // Slack checks that a required input is filled only in modals, not in messages: there
        // the chat layer asks for it in a dialog when a click comes without it.
        if (surface === 'message' && el.isRequired === true) return;
        blocks.push(inputBlock(el));
    }
  };
  for (const el of (card.body as Json[]) ?? []) visit(el);
  return { blocks, actions: (card.actions as Json[]) ?? [] };
}

/** What notifications and screen readers show for a message: its first text. */
export function fallbackText(blocks: Json[]): string {
  const first = blocks
    .map((b) => String((b.text as Json | undefined)?.text ?? ''))
    .find((t) => t !== '');
  return cut(first ?? 'Accessbot', 3000);
}

/** The action id of a link button: Slack reports its clicks too, and they want only an ack. */
export const LINK_ACTION = 'open';

function pushActions(blocks: Json[], actions: Json[]) {
  if (!actions.length) return;
  blocks.push({
    type: 'actions',
    elements: actions.map((a, i) => ({
      type: 'button',
      text: plain(String(a.title ?? ''), LIMITS.buttonText),
      ...(a.type === 'Action.OpenUrl'
        ? { url: a.url, action_id: `${LINK_ACTION}#${i}` }
        : { action_id: `${String(a.verb)}#${i}`, value: JSON.stringify(a.data ?? {}) }),
      ...(typeof a.style === 'string' && STYLES[a.style] && { style: STYLES[a.style] }),
    })),
  });
}

/** A card input as a Slack input block; its value comes back under the same id. */
function inputBlock(el: Json): Json {
  const id = String(el.id);
  const label = plain(String(el.label ?? el.title ?? id), LIMITS.inputLabel);
  const element = (() => {
    switch (el.type) {
      case 'Input.ChoiceSet': {
        const options = ((el.choices as Array<{ title: string; value: string }>) ?? []).map(
          (c) => ({ text: plain(c.title, LIMITS.optionText), value: c.value }),
        );
        const chosen = options.find((o) => o.value === el.value);
        return {
          type: 'static_select',
          action_id: id,
          options,
          ...(chosen && { initial_option: chosen }),
        };
      }
      case 'Input.Date':
        return {
          type: 'datepicker',
          action_id: id,
          ...(typeof el.value === 'string' && DAY.test(el.value) && { initial_date: el.value }),
        };
      case 'Input.Toggle':
        return {
          type: 'checkboxes',
          action_id: id,
          options: [{ text: plain(String(el.title ?? id), LIMITS.optionText), value: 'true' }],
        };
      default:
        return {
          type: 'plain_text_input',
          action_id: id,
          multiline: el.isMultiline === true,
          ...(typeof el.maxLength === 'number' && { max_length: el.maxLength }),
          ...(typeof el.value === 'string' && el.value && { initial_value: el.value }),
        };
    }
  })();
  return { type: 'input', block_id: id, label, element, optional: el.isRequired !== true };
}
