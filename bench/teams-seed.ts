import type { Client } from 'pg';
import { seedDecisionData } from './seed';

export interface TeamsDecisionData {
  /** pendingApproval requests approved by clicks on the bot. */
  botRequestIds: string[];
  /** pendingApproval requests for the bare express + pg floor. */
  floorRequestIds: string[];
}

/** The decision benchmark's data shape, in a catalog of its own for the Teams section. */
export async function seedTeamsDecisionData(db: Client, count: number): Promise<TeamsDecisionData> {
  const data = await seedDecisionData(db, count, 'teams');
  return { botRequestIds: data.serviceRequestIds, floorRequestIds: data.bareRequestIds };
}
