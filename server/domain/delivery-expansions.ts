import type { CardKind, ClaimedDelivery } from './deliveries';
import { HOME_EXPANSIONS } from './home-deliveries';

// Expansion of one event into sends, all in SQL: which identities of which people, and which
// posted cards, a change concerns. Unique indexes make a repeated expansion a no-op.
// A card of `card` about the event's subject, to each identity of each recipient.
const postTo = (card: CardKind, subjectType: ClaimedDelivery['subjectType']) => `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, identity_id, due_at)
  SELECT e.id, 'post', '${card}', '${subjectType}', e.subject_id, ui.id, $2
    FROM outbox_events e JOIN user_identities ui ON ui.user_id = ANY(e.recipients)
   WHERE e.id = $1
  ON CONFLICT DO NOTHING`;
const POST_APPROVAL = postTo('approval', 'request');
// A reminder is a card of its own, posted again beside the first, and kept current like it.
const POST_REMINDER = postTo('reminder', 'request');
// A manual task goes to the resource's owners, and each of their cards follows the task.
const POST_TASK = postTo('task', 'fulfillment');
// The requester hears the outcome, unless they canceled it themselves.
const POST_OUTCOME = `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, identity_id, due_at)
  SELECT e.id, 'post', 'outcome', 'request', r.id, ui.id, $2
    FROM outbox_events e JOIN access_requests r ON r.id = e.subject_id
    JOIN user_identities ui ON ui.user_id = r.target_user_id
   WHERE e.id = $1 AND r.canceled_by IS DISTINCT FROM r.target_user_id
  ON CONFLICT DO NOTHING`;
const UPDATE_POSTED = `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, chat_message_id, due_at)
  SELECT e.id, 'update', m.card, m.subject_type, m.subject_id, m.id, $2
    FROM outbox_events e JOIN chat_messages m ON m.subject_id = e.subject_id
   WHERE e.id = $1
  ON CONFLICT DO NOTHING`;

// Cards about the requests an assignment came from show its state too.
const UPDATE_REQUEST_CARDS = `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, chat_message_id, due_at)
  SELECT e.id, 'update', m.card, m.subject_type, m.subject_id, m.id, $2
    FROM outbox_events e JOIN access_requests r ON r.assignment_id = e.subject_id
    JOIN chat_messages m ON m.subject_id = r.id
   WHERE e.id = $1
  ON CONFLICT DO NOTHING`;

// A card about an assignment to its holder; `card` is an SQL expression over it (`a`).
const postToHolder = (card: string) => `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, identity_id, due_at)
  SELECT e.id, 'post', ${card}, 'assignment', a.id, ui.id, $2
    FROM outbox_events e JOIN assignments a ON a.id = e.subject_id
    JOIN user_identities ui ON ui.user_id = a.user_id
   WHERE e.id = $1
  ON CONFLICT DO NOTHING`;
// The person whose access ended hears it.
const POST_ENDED = postToHolder(`'ended'`);
// The holder is asked whether to extend: two weeks ahead, then a day ahead (a card each).
const POST_EXTEND = postToHolder(
  `CASE WHEN a.extension_prompts >= 2 THEN 'extendLast' ELSE 'extend' END`,
);

const CARD_EXPANSIONS: Record<string, string[]> = {
  approvalRequested: [POST_APPROVAL, UPDATE_POSTED],
  approvalReminder: [POST_REMINDER],
  requestDecided: [UPDATE_POSTED, POST_OUTCOME],
  requestCanceled: [UPDATE_POSTED, POST_OUTCOME],
  assignmentChanged: [UPDATE_POSTED, UPDATE_REQUEST_CARDS],
  assignmentEnded: [POST_ENDED],
  extensionPrompt: [POST_EXTEND],
  taskRequested: [POST_TASK],
  taskChanged: [UPDATE_POSTED],
};

/** The SQL statements that turn an event of `kind` into sends: cards, then Homes. */
export const expansionsOf = (kind: string): string[] => [
  ...(CARD_EXPANSIONS[kind] ?? []),
  ...(HOME_EXPANSIONS[kind] ?? []),
];
