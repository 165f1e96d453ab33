import { z } from 'zod';
import { DEFAULT_TOKEN_NAME } from './domain/actor';
import { graphConfig, graphProblems, graphVariables, type GraphApp } from './config-graph';

export type { GraphApp };

export type MicrosoftAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  /** Where people reach this server (links sent in chat); default http://localhost:PORT. */
  publicUrl: string;
  /** Unset: an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  microsoftAppId?: string;
  microsoftAppPassword?: string;
  microsoftAppType: MicrosoftAppType;
  microsoftAppTenantId?: string;
  slackSigningSecret?: string;
  slackBotToken?: string;
  slackAppToken?: string;
  slackApiUrl?: string;
  /** Microsoft Graph with its version; a national cloud's, or a fake in tests. */
  graphApiUrl: string;
  /** Where the Graph connector signs in (Microsoft Entra, or a national cloud's). */
  graphAuthorityUrl: string;
  /** The app the Microsoft 365 group connector acts as; unset: no such connector. */
  graphApp?: GraphApp;
  /** Signs webhook connector calls (HMAC-SHA256), so that receivers know they come from us. */
  webhookSecret?: string;
  /** Lower-cased emails. */
  admins: string[];
  /** Email domains of members; anyone else who arrives from chat is an external user. */
  homeDomains: string[];
  /** Teams tenants whose users may use the bot; empty: any tenant. */
  allowedTenants: string[];
  /** Slack workspaces (team ids) whose users may use the bot; empty: any workspace. */
  allowedTeams: string[];
  /** ADMIN_API_TOKEN (named "default") and every ADMIN_API_TOKENS entry. */
  apiTokens: ApiToken[];
  logLevel: LogLevel;
  demoData: boolean;
}

/** A name shows in the audit trail which integration acted; the token never shows anywhere. */
export interface ApiToken {
  name: string;
  token: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

// Every message below is written here, never taken from the input, so that a secret typed into
// the wrong variable cannot end up in a log through a validation error.
const text = z.string().optional();
const MIN_TOKEN = 32;
const MIN_SECRET = 32;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A comma-separated list; each bad entry is named (these values are not secret). */
function commaList(valid: (v: string) => boolean, problem: string, normalize = (v: string) => v) {
  return z
    .string()
    .transform((raw, ctx) => {
      const values = raw
        .split(',')
        .map((v) => normalize(v.trim()))
        .filter((v) => v !== '');
      for (const v of values.filter((v) => !valid(v))) {
        ctx.addIssue({ code: 'custom', message: `"${v}" ${problem}` });
      }
      return values;
    })
    .default([]);
}
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const schema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be an integer from 1 to 65535')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'must be an integer from 1 to 65535')
    .default(3978),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// or postgresql:// URL',
    })
    .optional(),
  DATA_DIR: z.string().default('.data'),
  PUBLIC_URL: httpUrl.optional(),
  MicrosoftAppId: text,
  MicrosoftAppPassword: text,
  MicrosoftAppType: z
    .enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` })
    .default('MultiTenant'),
  MicrosoftAppTenantId: text,
  SLACK_SIGNING_SECRET: text,
  SLACK_BOT_TOKEN: text,
  // Socket Mode's app-level token; the bot token (xoxb-) cannot open a socket.
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', 'must be an app-level token (xapp-…) with the connections:write scope')
    .optional(),
  SLACK_API_URL: httpUrl.optional(),
  ...graphVariables,
  WEBHOOK_SECRET: z
    .string()
    .min(MIN_SECRET, `must be at least ${MIN_SECRET} characters long`)
    .optional(),
  ADMINS: z
    .string()
    .transform((raw, ctx) => {
      const emails = raw
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== '');
      for (const email of emails) {
        if (!z.email().safeParse(email).success) {
          // Admin emails are not secret, and naming the bad one is what makes this fixable.
          ctx.addIssue({ code: 'custom', message: `"${email}" is not a valid email address` });
        }
      }
      return emails;
    })
    .default([]),
  HOME_DOMAINS: commaList(
    (d) => DOMAIN.test(d),
    'is not a domain name',
    (d) => d.toLowerCase(),
  ),
  ALLOWED_TENANTS: commaList((t) => /^[\w.-]{1,100}$/.test(t), 'is not a tenant id'),
  ALLOWED_TEAMS: commaList((t) => /^[A-Z0-9]{2,30}$/.test(t), 'is not a Slack team id'),
  ADMIN_API_TOKEN: z
    .string()
    .min(MIN_TOKEN, `must be at least ${MIN_TOKEN} characters long`)
    .optional(),
  ADMIN_API_TOKENS: z
    .string()
    .transform((raw, ctx) => {
      const entries = raw
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      const tokens: ApiToken[] = [];
      entries.forEach((entry, i) => {
        const colon = entry.indexOf(':');
        const name = colon < 0 ? '' : entry.slice(0, colon).trim();
        const token = colon < 0 ? '' : entry.slice(colon + 1).trim();
        // Names are not secret; entries without a valid name are reported by position, so that
        // a token pasted without its name never reaches the message.
        const problem = !TOKEN_NAME.test(name)
          ? `entry ${i + 1} must be name:token, the name of letters, digits, ".", "_" or "-"`
          : token.length < MIN_TOKEN
            ? `the token named "${name}" must be at least ${MIN_TOKEN} characters long`
            : tokens.some((t) => t.name === name)
              ? `the name "${name}" is used twice`
              : tokens.some((t) => t.token === token)
                ? `the token named "${name}" is the same as another one`
                : null;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
        else tokens.push({ name, token });
      });
      return tokens;
    })
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  DEMO_DATA: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});

// Checked apart from the schema so that it is reported together with every other problem
// (zod skips object refinements once a field has failed).
function crossFieldProblems(input: Record<string, string>): string[] {
  const appType = input.MicrosoftAppType;
  // The Bot Framework can only obtain tokens for these app types from a known tenant.
  if (
    (appType === 'SingleTenant' || appType === 'UserAssignedMSI') &&
    !input.MicrosoftAppTenantId
  ) {
    return [`MicrosoftAppTenantId: is required when MicrosoftAppType is ${appType}`];
  }
  if (input.SLACK_APP_TOKEN && !input.SLACK_BOT_TOKEN) {
    return ['SLACK_APP_TOKEN: Socket Mode needs SLACK_BOT_TOKEN too (xoxb-…)'];
  }
  if (input.ADMIN_API_TOKEN && input.ADMIN_API_TOKENS) {
    const named = input.ADMIN_API_TOKENS.split(',').map((e) => e.split(':')[0].trim());
    if (named.includes(DEFAULT_TOKEN_NAME)) {
      return [
        `ADMIN_API_TOKENS: the name "${DEFAULT_TOKEN_NAME}" belongs to ADMIN_API_TOKEN; choose another`,
      ];
    }
  }
  return [];
}

const VARIABLES = Object.keys(schema.shape);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`FOO=` in an env file) means "not set", not "set to nothing".
  const input = Object.fromEntries(
    VARIABLES.flatMap((name) => {
      const value = env[name];
      return value === undefined || value.trim() === '' ? [] : [[name, value.trim()]];
    }),
  );
  const parsed = schema.safeParse(input);
  const problems = [
    ...(parsed.error?.issues ?? []).map((i) => `${String(i.path[0] ?? 'config')}: ${i.message}`),
    ...crossFieldProblems(input),
    ...graphProblems(input),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    microsoftAppId: e.MicrosoftAppId,
    microsoftAppPassword: e.MicrosoftAppPassword,
    microsoftAppType: e.MicrosoftAppType,
    microsoftAppTenantId: e.MicrosoftAppTenantId,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    ...graphConfig(e),
    webhookSecret: e.WEBHOOK_SECRET,
    admins: e.ADMINS,
    homeDomains: e.HOME_DOMAINS,
    allowedTenants: e.ALLOWED_TENANTS,
    allowedTeams: e.ALLOWED_TEAMS,
    apiTokens: [
      ...(e.ADMIN_API_TOKEN ? [{ name: DEFAULT_TOKEN_NAME, token: e.ADMIN_API_TOKEN }] : []),
      ...(e.ADMIN_API_TOKENS ?? []),
    ],
    logLevel: e.LOG_LEVEL,
    // Demo users and packages in a real database would be mistaken for real ones.
    demoData: e.DEMO_DATA ?? !e.DATABASE_URL,
  };
}

/** The URL with its password replaced, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparsable URL]';
  }
}
