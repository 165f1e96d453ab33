import type { ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Logger } from 'pino';

/** A button's data; what cannot be read reaches the chat layer as nothing, which says so. */
export function parsed(value: string | undefined): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(value ?? '{}');
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_options?: Array<{ value: string }>;
};

/** The values of a message's or modal's inputs, by input id (the block id our renderer gave them). */
export function inputsOf(values: Record<string, Record<string, StateValue>> | undefined) {
  const inputs: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    for (const v of Object.values(elements ?? {})) {
      const value =
        v?.value ??
        v?.selected_option?.value ??
        v?.selected_date ??
        (v?.selected_options ? String(v.selected_options.length > 0) : undefined);
      if (value != null) inputs[blockId] = value;
    }
  }
  return inputs;
}

/**
 * The receiver's answer when Bolt itself fails on a signed payload (a view_submission without
 * its view makes Bolt throw before any listener runs): the sender's fault, a 400, not a 500.
 * Our listeners answer their own failures, so little else arrives here; it is logged.
 */
export function unreadablePayload(logger: Logger) {
  return async ({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    logger.warn({ err: { message: error.message } }, 'Slack payload not processed');
    if (response.headersSent) return false;
    response.writeHead(400);
    response.end();
    return true;
  };
}
