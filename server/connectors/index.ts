import type { ResourceType } from '../../db/entities';
import type { Config } from '../config';
import { UnconfiguredProvisioner } from '../domain/default-ports';
import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import type { Dispatcher } from './graph/transport';
import { M365GroupConnector } from './m365-group';
import { ManualConnector } from './manual';
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
 * The connectors this configuration enables. `dispatcher` carries the Graph connector's calls
 * (a proxy, or trust in a private CA); unset, Node's own.
 */
export function connectorsFor(
  config: Pick<Config, 'webhookSecret' | 'graphApp' | 'graphApiUrl' | 'graphAuthorityUrl'>,
  { dispatcher }: { dispatcher?: Dispatcher } = {},
): Provisioner {
  return new ConnectorRouter({
    ...(config.webhookSecret && {
      webhook: new WebhookConnector({ secret: config.webhookSecret }),
    }),
    ...(config.graphApp && {
      m365Group: new M365GroupConnector({
        credentials: { ...config.graphApp, authorityUrl: config.graphAuthorityUrl },
        apiUrl: config.graphApiUrl,
        transport: { dispatcher },
      }),
    }),
  });
}
