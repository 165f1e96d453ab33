import { createHmac } from 'node:crypto';

/**
 * The headers Slack signs a request's `body` with at `ts` (seconds): HMAC-SHA256 of
 * `v0:{ts}:{body}` under the signing secret. Tests and the bench both sign with it.
 */
export function signatureHeaders(body: string | Buffer, ts: number, secret: string) {
  const hmac = createHmac('sha256', secret).update(`v0:${ts}:`).update(body);
  return {
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${hmac.digest('hex')}`,
  };
}
