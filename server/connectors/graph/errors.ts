import { GraphError } from '@microsoft/microsoft-graph-client';

/**
 * A failed Graph call in words for the fulfillment's error column. `transient` says whether
 * the same call may succeed later unchanged (busy, down, slow); a refusal needs someone to
 * change the group, the app's permissions or the request first. The fulfillment worker retries
 * both on its schedule: a permission granted later makes a refused grant go through.
 */
export class GraphFailure extends Error {
  override name = 'GraphFailure';

  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export const PERMISSION_HINT =
  'the app lacks the permission: grant it GroupMember.ReadWrite.All and User.Read.All (application) with admin consent';

export const statusOf = (err: unknown): number | undefined =>
  err instanceof GraphError && err.statusCode > 0 ? err.statusCode : undefined;

/** Graph's own words, from its error body (`{"error": {"code", "message"}}`). */
const said = (err: GraphError) => (err.message ? ` Graph said: ${err.message}` : '');

/** `doing` completes "trying to …", e.g. "add a@b.c as member of group 1234". */
export function explain(err: unknown, doing: string, timeoutMs: number): Error {
  if (err instanceof GraphFailure) return err;
  if (!(err instanceof GraphError)) {
    return new GraphFailure(`Microsoft Graph call failed trying to ${doing}: ${String(err)}`, true);
  }
  const status = statusOf(err);
  if (status === undefined) {
    if (err.code === 'SignInError') return new GraphFailure(err.message, false);
    // fetch's DOMException is no Error in Node 20: the SDK keeps it as the body.
    const cause = (err.body as { name?: string } | null)?.name ?? err.code;
    if (cause === 'TimeoutError' || cause === 'AbortError') {
      return new GraphFailure(
        `Microsoft Graph did not answer within ${timeoutMs / 1000} s, trying to ${doing}.`,
        true,
      );
    }
    return new GraphFailure(
      `Microsoft Graph is unreachable, trying to ${doing}: ${err.message}`,
      true,
    );
  }
  if (status === 403) {
    return new GraphFailure(
      `Microsoft Graph refused to ${doing}: ${PERMISSION_HINT}.${said(err)}`,
      false,
    );
  }
  if (status === 401) {
    return new GraphFailure(
      `Microsoft Graph did not accept the app's token, trying to ${doing}.${said(err)}`,
      true,
    );
  }
  if (status === 429 || status === 503 || status === 504) {
    const wait = err.headers?.get('retry-after');
    return new GraphFailure(
      `Microsoft Graph is busy (${status}${wait ? `, retry after ${wait} s` : ''}), trying to ${doing}; to be tried again later.`,
      true,
    );
  }
  if (status >= 500) {
    return new GraphFailure(
      `Microsoft Graph failed (${status}), trying to ${doing}.${said(err)}`,
      true,
    );
  }
  return new GraphFailure(`Microsoft Graph refused (${status}) to ${doing}.${said(err)}`, false);
}
