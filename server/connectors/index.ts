import type { Logger } from 'pino';
import type { ResourceType } from '../../db/entities';
import type { Config } from '../config';
import { UnconfiguredProvisioner } from '../domain/default-ports';
import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import type { WithLock } from './lock';
import { ManualConnector } from './manual';
import { slackConnectors } from './slack';
import { WebhookConnector } from './webhook';

/**
 * The connector for each resource: the manual one where the resource's attributes say
 * `"connector": "manual"`, else the one for its type; a type without one fails with a clear
 * error.
 */
export class ConnectorRouter implements Provisioner {
  private readonly fallback = new UnconfiguredProvisioner();
  private readonly manual = new ManualConnector();

  constructor(private readonly byType: Partial<Record<ResourceType, Provisioner>>) {}

  grant(target: ProvisioningTarget) {
    return this.route(target).grant(target);
  }

  revoke(target: ProvisioningTarget) {
    return this.route(target).revoke(target);
  }

  private route(target: ProvisioningTarget): Provisioner {
    if (target.resource.attributes.connector === 'manual') return this.manual;
    return this.byType[target.resource.type] ?? this.fallback;
  }
}

/** The connectors this configuration enables. */
export function connectorsFor(
  config: Pick<Config, 'webhookSecret' | 'slackBotToken' | 'slackApiUrl'>,
  deps: { withLock: WithLock; logger?: Logger },
): Provisioner {
  return new ConnectorRouter({
    ...(config.webhookSecret && {
      webhook: new WebhookConnector({ secret: config.webhookSecret }),
    }),
    ...(config.slackBotToken &&
      slackConnectors({
        slackBotToken: config.slackBotToken,
        slackApiUrl: config.slackApiUrl,
        withLock: deps.withLock,
        logger: deps.logger,
      })),
  });
}
