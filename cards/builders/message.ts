import type { CardReply } from '../reply';

export type Tone = 'info' | 'good' | 'warning' | 'error';
const COLORS: Record<Tone, string> = {
  info: 'Default',
  good: 'Good',
  warning: 'Warning',
  error: 'Attention',
};

export interface MessageData {
  title: string;
  hasTitle: boolean;
  text: string;
  color: string;
}

/** A short message: an answer, a refusal, a problem with what was typed. */
export function messageCard(
  text: string,
  opts: { title?: string; tone?: Tone } = {},
): CardReply<MessageData> {
  return {
    card: 'message',
    data: {
      title: opts.title ?? '',
      hasTitle: Boolean(opts.title),
      text,
      color: COLORS[opts.tone ?? 'info'],
    },
  };
}
