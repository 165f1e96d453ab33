import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How webhook calls are signed, for receivers to check (README, "Writing a webhook receiver"):
 * `X-Accessbot-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>`
 * and `X-Accessbot-Timestamp: <unix seconds>`. A receiver refuses a timestamp more than five
 * minutes from its own clock, so that a recorded call cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-accessbot-signature';
export const TIMESTAMP_HEADER = 'x-accessbot-timestamp';
export const MAX_SKEW_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check: the signature matches and the timestamp is recent. */
export function verify(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
    return false;
  }
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
