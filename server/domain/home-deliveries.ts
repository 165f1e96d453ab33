// Which Slack Homes an outbox event changes: the people who see its subject there. Each
// expansion inserts one 'publish' of the person's Home per Slack identity; the unique index on
// waiting publishes folds a burst of changes for one person into one publish. Parameters: the
// event ($1), when the publish is due ($2).

const publishHomeOf = (users: string) => `
  INSERT INTO chat_deliveries (event_id, action, card, subject_type, subject_id, identity_id, due_at)
  SELECT e.id, 'publish', 'home', 'user', ui.user_id, ui.id, $2
    FROM outbox_events e JOIN user_identities ui ON ui.platform = 'slack' AND ui.user_id IN (${users})
   WHERE e.id = $1
  ON CONFLICT DO NOTHING`;

// A request shows in its requester's Home, and in the Home of everyone who was asked to decide
// it (the recipients of its approvalRequested events, fallback and escalation included) or is
// named to (groups as they are now).
const REQUEST_PEOPLE = `
  SELECT r.target_user_id FROM access_requests r WHERE r.id = e.subject_id
  UNION SELECT r.requestor_id FROM access_requests r WHERE r.id = e.subject_id
  UNION SELECT unnest(o.recipients) FROM outbox_events o
         WHERE o.subject_id = e.subject_id AND o.kind = 'approvalRequested'
  UNION SELECT ra.user_id FROM request_approvers ra WHERE ra.request_id = e.subject_id
  UNION SELECT gm.user_id FROM request_approvers ra JOIN group_members gm ON gm.group_id = ra.group_id
         WHERE ra.request_id = e.subject_id`;

// An assignment shows in its holder's Home.
const ASSIGNMENT_HOLDER = `SELECT a.user_id FROM assignments a WHERE a.id = e.subject_id`;

const PUBLISH_FOR_REQUEST = publishHomeOf(REQUEST_PEOPLE);
const PUBLISH_FOR_ASSIGNMENT = publishHomeOf(ASSIGNMENT_HOLDER);

/** Per event kind, the Homes it changes; kinds the Home does not show change none. */
export const HOME_EXPANSIONS: Record<string, string[]> = {
  approvalRequested: [PUBLISH_FOR_REQUEST],
  requestDecided: [PUBLISH_FOR_REQUEST],
  requestCanceled: [PUBLISH_FOR_REQUEST],
  assignmentChanged: [PUBLISH_FOR_ASSIGNMENT],
  assignmentEnded: [PUBLISH_FOR_ASSIGNMENT],
};
