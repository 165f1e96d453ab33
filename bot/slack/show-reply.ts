import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CardReply } from '../../cards/reply';
import type { ChatReply } from '../core/chat';

/**
 * Shows a reply with `show` (an ephemeral answer, a DM post, the Home…). A reply with a file (a CSV
 * export) first puts the file into the person's DM with the app through files.uploadV2, and
 * then shows the reply that says so; if that fails, the reply with the download link is shown,
 * so that the person still gets their file.
 */
export async function showReply(
  client: webApi.WebClient,
  userId: string,
  reply: ChatReply,
  show: (reply: CardReply) => Promise<unknown>,
  logger: Logger,
): Promise<void> {
  if (reply.file) {
    try {
      // A user id is not a channel for files.completeUploadExternal: open the DM for its id.
      const { channel } = await client.conversations.open({ users: userId });
      if (!channel?.id) throw new Error('conversations.open returned no channel');
      await client.files.uploadV2({
        channel_id: channel.id,
        file: await reply.file.read(),
        filename: reply.file.name,
        title: reply.file.title,
      });
      await show(reply.file.delivered);
      return;
    } catch (err) {
      logger.warn(
        { err: { message: (err as Error).message } },
        'Slack file upload failed; the download link is shown instead',
      );
    }
  }
  await show(reply);
}
