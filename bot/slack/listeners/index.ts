import type { App } from '@slack/bolt';
import { registerDialogs } from '../modals';
import { registerAccessCommand } from './access-command';
import { registerCardButtons } from './card-buttons';
import type { SlackDeps } from './deps';
import { registerDirectMessages } from './direct-message';
import { registerHomeOpened } from './home-opened';
import { oncePerEvent } from './once-per-event';

export type { SlackDeps } from './deps';

/**
 * Every Slack listener, on an app whatever carries its requests (HTTP or Socket Mode). A new
 * listener file adds one line here. Each listener acks first (Slack wants an answer within
 * 3 s) and works after.
 */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(oncePerEvent(deps));
  registerAccessCommand(app, deps);
  registerCardButtons(app, deps);
  registerDirectMessages(app, deps);
  registerDialogs(app, deps);
  registerHomeOpened(app, deps);
  app.error(async (err) => {
    deps.logger.error({ err: { message: err.message } }, 'Slack listener failed');
  });
}
