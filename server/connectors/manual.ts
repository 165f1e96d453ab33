import type { Provisioner, ProvisionOutcome } from '../domain/ports';

/**
 * For systems with no API: every grant and revoke becomes a task on a card to the resource's
 * catalog owners, who mark it Done or Failed (domain/manual-tasks.ts). Chosen per resource
 * with `"attributes": {"connector": "manual"}`.
 */
export class ManualConnector implements Provisioner {
  async grant(): Promise<ProvisionOutcome> {
    return 'handedToPerson';
  }

  async revoke(): Promise<ProvisionOutcome> {
    return 'handedToPerson';
  }
}
