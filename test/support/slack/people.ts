import { testOutbox } from '../outbox';
import { slackOutboxPlatform, type SlackHarness } from './harness';

/**
 * Someone Slack knows, with a verified email, already registered (as their first message
 * would have done): the Accessbot user, with their Slack user id.
 */
export async function slackPerson(t: SlackHarness, slackId: string, name: string) {
  const email = `${slackId.toLowerCase()}@woodgrove.example`;
  t.slack.add({ id: slackId, teamId: 'T1', name, email, emailConfirmed: true });
  const user = await t.user(name, { email });
  await t.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: slackId,
    email,
    displayName: name,
  });
  return { ...user, slackId };
}

/** The outbox to the fake Slack (cards and Homes), run until nothing is due, on the test clock. */
export function slackOutbox(t: SlackHarness): () => Promise<void> {
  return testOutbox(t, { slack: slackOutboxPlatform(t.slack) }).deliver;
}
