import { z } from 'zod';

// Card data carries ids and a verb, never state: the handler reloads everything and checks
// the clicker's rights. Inputs a card collects arrive in the same object, validated here too.
const id = z.uuid();
const text = (max: number) => z.string().max(max).optional();

/** Every Action.Execute verb our cards use, with the shape of the data it sends. */
export const ACTIONS = {
  refresh: z.object({ requestId: id }),
  approve: z.object({ requestId: id, reason: text(2000) }),
  deny: z.object({ requestId: id, reason: text(2000) }),
  packagesSearch: z.object({ text: text(100) }),
  packagesPage: z.object({ text: text(100), cursor: z.string().max(600) }),
  requestOpen: z.object({ packageId: id }),
  requestSubmit: z.object({
    packageId: id,
    policyId: z.union([id, z.literal('')]).optional(),
    justification: text(2000),
    start: text(40),
    end: text(40),
  }),
  requestCancel: z.object({ requestId: id }),
  approvalsDecide: z.looseObject({ decision: z.enum(['approve', 'deny']), reason: text(2000) }),
  extend: z.object({ assignmentId: id, justification: text(2000) }),
  // The generation the card showed: a card older than the task's current action is stale.
  taskDone: z.object({
    fulfillmentId: id,
    generation: z.coerce.number().int().min(0),
    reason: text(1000),
  }),
  taskFailed: z.object({
    fulfillmentId: id,
    generation: z.coerce.number().int().min(0),
    reason: text(1000),
  }),
} as const;

export type ActionVerb = keyof typeof ACTIONS;
export type ActionData<V extends ActionVerb> = z.output<(typeof ACTIONS)[V]>;
export const ACTION_VERBS = Object.keys(ACTIONS) as ActionVerb[];
export const isActionVerb = (v: string): v is ActionVerb => Object.hasOwn(ACTIONS, v);
