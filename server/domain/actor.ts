/** The ways into the system, recorded on every audit event. */
export const CHANNELS = ['adminApi', 'teams', 'slack', 'scheduler', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who performs an operation. Rights are checked against this, never against card data. */
export interface Actor {
  /** Null for the system itself (scheduler, start-up) and for an admin API token acting alone. */
  userId: string | null;
  /** For the audit trail: an email, or 'system', 'scheduler', 'api:<token name>'. */
  label: string;
  /** An administrator (the "User administrator" of the seeds), from the ADMINS setting. */
  isAdmin: boolean;
  channel: Channel;
  /**
   * The name of the admin API token the call came with. With a userId, the token acted on
   * that user's behalf: the audit trail says so rather than pretending the user was there.
   */
  apiToken?: string;
}

export const SYSTEM: Actor = { userId: null, label: 'system', isAdmin: true, channel: 'system' };
export const SCHEDULER: Actor = {
  userId: null,
  label: 'scheduler',
  isAdmin: true,
  channel: 'scheduler',
};

/** An admin API token acting as itself: an administrator with no user behind it. */
export const apiTokenActor = (name: string): Actor => ({
  userId: null,
  label: `api:${name}`,
  isAdmin: true,
  channel: 'adminApi',
  apiToken: name,
});

/** The name ADMIN_API_TOKEN goes by when it is the only token. */
export const DEFAULT_TOKEN_NAME = 'default';
export const API_TOKEN_ACTOR = apiTokenActor(DEFAULT_TOKEN_NAME);

/** How a user's identity arrived: through a chat platform, or named by an API token. */
export type Via = Pick<Actor, 'channel' | 'apiToken'>;

/** A person acting: an administrator when their email is in ADMINS. */
export const personActor = (
  user: { id: string; email: string },
  admins: ReadonlySet<string>,
  via: Via,
): Actor => ({
  userId: user.id,
  label: user.email,
  isAdmin: admins.has(user.email),
  channel: via.channel,
  ...(via.apiToken && { apiToken: via.apiToken }),
});

/**
 * What the system does as a consequence of someone's action (an automatic approval, the
 * assignment an approval creates) happens in the same channel as that action.
 */
export const systemAfter = (cause: Actor): Actor => ({
  ...SYSTEM,
  channel: cause.channel,
  ...(cause.apiToken && { apiToken: cause.apiToken }),
});
