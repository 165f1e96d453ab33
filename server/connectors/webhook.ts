import { Agent, request, type Dispatcher } from 'undici';
import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import { Transient, retryAfterMs, withRetries, type RetryOptions } from './retry';
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
  // Kept-alive connections per receiver: a mass expiry makes thousands of calls to one host.
  private readonly dispatcher: Dispatcher;

  constructor(private readonly o: WebhookOptions) {
    this.dispatcher = new Agent({ connect: { timeout: o.timeoutMs ?? 10_000 } });
  }

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
    const timeout = this.o.timeoutMs ?? 10_000;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: sign(this.o.secret, timestamp, body),
        },
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      const reason = /TIMEOUT/.test((err as { code?: string }).code ?? '')
        ? 'timed out'
        : 'is unreachable';
      throw new Transient(`Webhook ${new URL(url).host} ${reason}.`);
    }
    await res.body.dump().catch(() => undefined);
    if (res.statusCode >= 200 && res.statusCode < 300) return;
    const message = `Webhook ${new URL(url).host} answered ${res.statusCode}.`;
    if (res.statusCode === 429 || res.statusCode >= 500) {
      const header = res.headers['retry-after'];
      throw new Transient(
        message,
        retryAfterMs(
          Array.isArray(header) ? header[0] : header,
          new Date((this.o.now ?? Date.now)()),
        ),
      );
    }
    throw new Error(message);
  }
}
