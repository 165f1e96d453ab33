import type { Provisioner, ProvisioningTarget } from './ports';

/**
 * Until a connector for a resource type is configured, grants fail with a clear error and the
 * fulfillment row says so: nothing claims access that was never given.
 */
export class UnconfiguredProvisioner implements Provisioner {
  async grant(target: ProvisioningTarget): Promise<void> {
    throw new Error(
      `No provisioning connector is configured for ${target.resource.type} resources.`,
    );
  }

  async revoke(target: ProvisioningTarget): Promise<void> {
    throw new Error(
      `No provisioning connector is configured for ${target.resource.type} resources.`,
    );
  }
}
