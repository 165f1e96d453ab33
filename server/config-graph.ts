import { z } from 'zod';

/** An app registration with a client secret (never logged, never in a message). */
export interface GraphApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

// Not imported from config.ts, which imports this file.
const TENANT_DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const;

/** Microsoft's public cloud. */
export const GRAPH_DEFAULTS = {
  apiUrl: 'https://graph.microsoft.com/v1.0',
  authorityUrl: 'https://login.microsoftonline.com',
};

/** The Microsoft 365 group connector's variables, part of the schema in config.ts. */
export const graphVariables = {
  GRAPH_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default(GRAPH_DEFAULTS.apiUrl),
  // msal refuses an authority that is not https.
  GRAPH_AUTHORITY_URL: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .default(GRAPH_DEFAULTS.authorityUrl),
  GRAPH_TENANT_ID: z
    .string()
    .refine(
      (t) => GUID.test(t) || TENANT_DOMAIN.test(t),
      'must be the directory (tenant) id, a GUID, or its domain name',
    )
    .optional(),
  GRAPH_CLIENT_ID: z.string().regex(GUID, 'must be the application (client) id, a GUID').optional(),
  GRAPH_CLIENT_SECRET: z.string().optional(),
};

type GraphInput = z.infer<z.ZodObject<typeof graphVariables>>;

/** The app's three variables go together; the names of those missing are given. */
export function graphProblems(input: Record<string, string>): string[] {
  const set = APP.filter((name) => input[name]);
  if (set.length === 0) return [];
  if (set.length < APP.length) {
    return APP.filter((name) => !input[name]).map(
      (name) => `${name}: is required with ${set.join(' and ')} (set all three, or none)`,
    );
  }
  if (input.GRAPH_API_URL && !input.GRAPH_API_URL.startsWith('https://')) {
    // The Graph client sends its token only over https; over http every call would fail.
    return ['GRAPH_API_URL: must be an https:// URL when the Graph connector is configured'];
  }
  return [];
}

export function graphConfig(e: GraphInput) {
  return {
    graphApiUrl: e.GRAPH_API_URL.replace(/\/+$/, ''),
    graphAuthorityUrl: e.GRAPH_AUTHORITY_URL.replace(/\/+$/, ''),
    graphApp:
      e.GRAPH_TENANT_ID && e.GRAPH_CLIENT_ID && e.GRAPH_CLIENT_SECRET
        ? {
            tenantId: e.GRAPH_TENANT_ID,
            clientId: e.GRAPH_CLIENT_ID,
            clientSecret: e.GRAPH_CLIENT_SECRET,
          }
        : undefined,
  };
}
