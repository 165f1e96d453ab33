import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import { Transient, withRetries, type RetryOptions } from './retry';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './webhook-signature';

export interface WebhookOptions extends RetryOptions {
  secret: string;
  /** Per attempt. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The generic connector: each grant or revoke is a signed JSON POST to the resource's
 * `attributes.url`. The body names the action (`actionId` stays the same across retries of
 * one action, so a receiver can drop repeats); any 2xx is success.
 */
export class WebhookConnector implements Provisioner {
  constructor(private readonly o: WebhookOptions) {}

  grant(target: ProvisioningTarget) {
    return this.call('grant', target);
  }

  revoke(target: ProvisioningTarget) {
    return this.call('revoke', target);
  }

  private async call(action: 'grant' | 'revoke', t: ProvisioningTarget): Promise<void> {
    const url = t.resource.attributes.url;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new Error(`Resource "${t.resource.originId}" has no webhook url in its attributes.`);
    }
    const body = JSON.stringify({
      action,
      actionId: t.actionId,
      user: t.user,
      resource: { id: t.resource.id, originId: t.resource.originId, type: t.resource.type },
      role: t.role,
    });
    await withRetries(() => this.post(url, body), this.o);
  }

  private async post(url: string, body: string): Promise<void> {
    const timestamp = Math.floor((this.o.now ?? Date.now)() / 1000);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: sign(this.o.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      throw new Transient(`Webhook ${new URL(url).host} ${reason}.`);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const message = `Webhook ${new URL(url).host} answered ${res.status}.`;
    if (res.status === 429 || res.status >= 500) {
      throw new Transient(message, retryAfterMs(res.headers.get('retry-after')));
    }
    throw new Error(message);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
