import { z } from 'zod';

export type MicrosoftAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
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
  graphApiUrl?: string;
  /** Lower-cased emails. */
  admins: string[];
  adminApiToken?: string;
  logLevel: LogLevel;
  demoData: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

// Every message below is written here, never taken from the input, so that a secret typed into
// the wrong variable cannot end up in a log through a validation error.
const text = z.string().optional();
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
  MicrosoftAppId: text,
  MicrosoftAppPassword: text,
  MicrosoftAppType: z
    .enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` })
    .default('MultiTenant'),
  MicrosoftAppTenantId: text,
  SLACK_SIGNING_SECRET: text,
  SLACK_BOT_TOKEN: text,
  SLACK_APP_TOKEN: text,
  SLACK_API_URL: httpUrl.optional(),
  GRAPH_API_URL: httpUrl.optional(),
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
  ADMIN_API_TOKEN: z.string().min(32, 'must be at least 32 characters long').optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  DEMO_DATA: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
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
  ];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
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
    graphApiUrl: e.GRAPH_API_URL,
    admins: e.ADMINS,
    adminApiToken: e.ADMIN_API_TOKEN,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA,
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
