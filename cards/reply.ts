import type { CardName } from './render-teams';

/** A card to show: which template, and the data its builder made. Platform-neutral. */
export interface CardReply<D = unknown> {
  card: CardName;
  data: D;
  /**
   * Set when the card is a form the person fills in and submits: a platform with dialogs
   * (Slack's modals) shows it as one, with the card's action as the submit button; Teams
   * shows the card as it is.
   */
  dialog?: Dialog;
}

export interface Dialog {
  /** Short: Slack cuts a modal's title at 24 characters. */
  title: string;
  closeLabel: string;
  /** What the domain refused, by the id of the card input it concerns ('general': none). */
  errors: Record<string, string>;
  /**
   * The answer to the submission takes the place of the card whose button opened the dialog
   * (a decision with a reason updates the approval card it was asked from).
   */
  answerReplacesCard: boolean;
}
