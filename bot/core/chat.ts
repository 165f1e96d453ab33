import type { CardReply } from '../../cards/reply';
import type { Platform } from '../../db/entities';

/** Who is at the keyboard, as the platform authenticated them. */
export interface ChatUser {
  platform: Platform;
  tenantId: string;
  platformUserId: string;
  /** Where to reach them later, kept for proactive messages. */
  conversationReference?: Record<string, unknown>;
  /** Asked of the platform only for someone not seen before (it costs a call). */
  profile(): Promise<{ email: string; displayName: string }>;
}

/** One user input: a message or a card action, with the card it came from when there is one. */
export interface ChatTurn {
  user: ChatUser;
  clicked?: { conversationId: string; messageId: string };
}

/**
 * A platform-neutral reply: which card, with the data its builder produced, and a file that
 * goes with it, if any.
 */
export type ChatReply = CardReply & {
  file?: ChatFile;
  /**
   * Said to the clicker alone beside the card, where the platform can (Slack: an ephemeral
   * message); elsewhere the card says it well enough.
   */
  notice?: CardReply;
};

/**
 * A file for the person who asked (a CSV export). The reply's card links to it, which every
 * platform can show; an adapter that can put files into a conversation does so and shows
 * `delivered` instead, keeping the link for when the upload fails.
 */
export interface ChatFile {
  /** With its extension. */
  name: string;
  title: string;
  /** The content, read as the person who asked: their rights are checked again. */
  read(): Promise<Buffer>;
  /** The reply once the file is in the person's direct messages with the app. */
  delivered: CardReply;
}

/**
 * The chat layer, written once for every platform: commands and card actions become domain
 * calls with the user as actor, and replies are cards. Adapters only translate.
 */
export interface Chat {
  welcome(turn: ChatTurn): Promise<ChatReply>;
  message(turn: ChatTurn, text: string): Promise<ChatReply>;
  /** A card button: the reply takes the clicked card's place. */
  action(turn: ChatTurn, verb: string, data: unknown): Promise<ChatReply>;
  /** The person's Home, its cards top to bottom; `after`: the answer to a click on it. */
  home(turn: ChatTurn, after?: ChatReply): Promise<ChatReply[]>;
}
