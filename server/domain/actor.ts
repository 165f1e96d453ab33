/** Who performs an operation. Rights are checked against this, never against card data. */
export interface Actor {
  /** Null for the system itself (scheduler, start-up) and for the admin API's token. */
  userId: string | null;
  /** For the audit trail: an email, or 'system' / 'api'. */
  label: string;
  /** An administrator (the "User administrator" of the seeds), from the ADMINS setting. */
  isAdmin: boolean;
}

export const SYSTEM: Actor = { userId: null, label: 'system', isAdmin: true };
export const API_TOKEN_ACTOR: Actor = { userId: null, label: 'api', isAdmin: true };
