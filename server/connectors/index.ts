import type { Logger } from 'pino';
import type { ResourceType } from '../../db/entities';
import type { Config } from '../config';
import { GRAPH_DEFAULTS } from '../config-graph';
import { UnconfiguredProvisioner } from '../domain/default-ports';
import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import type { Dispatcher } from './graph/transport';
import type { WithLock } from './lock';
import { M365GroupConnector } from './m365-group';
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

/**
 * The connectors this configuration enables. `withLock` serialises changes to one Slack user
 * group across replicas; `dispatcher` carries the Graph connector's calls (a proxy, or trust
 * in a private CA), unset: Node's own.
 */
export function connectorsFor(
  config: Pick<Config, 'webhookSecret' | 'slackBotToken' | 'slackApiUrl' | 'graphApp'> &
    Partial<Pick<Config, 'graphApiUrl' | 'graphAuthorityUrl'>>,
  deps: { withLock: WithLock; logger?: Logger; dispatcher?: Dispatcher },
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
    ...(config.graphApp && {
      m365Group: new M365GroupConnector({
        credentials: {
          ...config.graphApp,
          authorityUrl: config.graphAuthorityUrl ?? GRAPH_DEFAULTS.authorityUrl,
        },
        apiUrl: config.graphApiUrl ?? GRAPH_DEFAULTS.apiUrl,
        transport: { dispatcher: deps.dispatcher },
      }),
    }),
  });
}
