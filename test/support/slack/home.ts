import { packageWithPolicy } from '../domain';
import type { SlackHarness } from './harness';
import { slackOutbox, slackPerson } from './people';

type Json = Record<string, unknown>;

/** What App Home tests do with a Slack harness: open Homes, click on them, read them. */
export function homeTools(t: SlackHarness) {
  const deliver = slackOutbox(t);
  let n = 0;
  const tools = {
    /** Runs the outbox until nothing is due, as the background dispatcher would. */
    deliver,
    publishes: (userId?: string) =>
      t.slack.calls.filter(
        (c) => c.method === 'views.publish' && (!userId || c.body.user_id === userId),
      ),
    homeText: (userId: string) => JSON.stringify(t.slack.homes.get(userId) ?? null),
    buttons: (userId: string) =>
      ((t.slack.homes.get(userId)?.blocks as Json[]) ?? [])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements as Json[]),
    opened: (user: string, tab = 'home') =>
      t.event({ type: 'app_home_opened', user, channel: `D-${user}`, tab, event_ts: '1.000' }),
    /** A click on `button` of the user's Home, its inputs' state in the view, as Slack sends. */
    clickOnHome: (userId: string, button: Json, values: Json = {}) =>
      t.post(
        new URLSearchParams({
          payload: JSON.stringify({
            type: 'block_actions',
            team: { id: 'T1', domain: 'woodgrove' },
            user: { id: userId, team_id: 'T1', username: userId },
            api_app_id: 'A1',
            trigger_id: `trigger-home-${++n}`,
            // No message and no response_url: a view container and the view.
            container: { type: 'view', view_id: `V-${userId}` },
            view: { ...t.slack.homes.get(userId), id: `V-${userId}`, state: { values } },
            actions: [
              {
                type: 'button',
                action_id: button.action_id,
                block_id: 'b1',
                value: button.value,
                action_ts: `${n}.001`,
              },
            ],
          }),
        }).toString(),
      ),
    /** Someone known to Slack and already registered, with their Slack user id. */
    person: (name: string) =>
      slackPerson(t, `U${++n}${name.replace(/\W/g, '').toUpperCase()}`, name),
    /** A package `approverId` must approve, and one anybody gets at once. */
    packages: async (approverId: string) => ({
      approved: await packageWithPolicy(t, {
        requestorScope: 'allMembers',
        approvers: [{ userId: approverId }],
      }),
      open: await packageWithPolicy(t, { requestorScope: 'allMembers', approvalRequired: false }),
    }),
  };
  return tools;
}
