import { viewProblems } from '../../../cards/slack-limits';

/** Modals and Homes as Slack takes them: views.open, push, update and publish. */
export class FakeSlackViews {
  /** Each person's Home as last published (views.publish), by Slack user id. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Views refused for breaking Block Kit's limits, with what they broke. */
  readonly refused: Array<{ method: string; problems: string[] }> = [];
  private nextView = 1;

  /**
   * As Slack checks a view: a trigger where one is needed (a user for a Home), then its limits
   * and its type; a view over them is refused whole and recorded in `refused`.
   */
  answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const view = body.view as Record<string, unknown> | undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    const missing =
      method === 'views.publish'
        ? !body.user_id && 'user_id'
        : method === 'views.update'
          ? !body.view_id && !body.external_id && 'view_id'
          : !body.trigger_id && 'trigger_id';
    if (missing) {
      return { ok: false, error: 'invalid_arguments', response_metadata: [`${missing} missing`] };
    }
    const surface = method === 'views.publish' ? 'home' : 'modal';
    const problems = [
      ...viewProblems(view),
      ...(view.type === surface ? [] : [`${method} takes a ${surface} view`]),
    ];
    if (problems.length) {
      this.refused.push({ method, problems });
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    }
    if (method === 'views.publish') {
      this.homes.set(String(body.user_id), view);
      return { ok: true, view: { id: `V-${String(body.user_id)}`, ...view } };
    }
    return { ok: true, view: { id: `V${this.nextView++}`, ...view } };
  }
}
