import { ConfigError, loadConfig, redactUrl } from '../../server/config';

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('an empty environment gives the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      publicUrl: 'http://localhost:3978',
      databaseUrl: undefined,
      dataDir: '.data',
      microsoftAppId: undefined,
      microsoftAppPassword: undefined,
      microsoftAppType: 'MultiTenant',
      microsoftAppTenantId: undefined,
      slackSigningSecret: undefined,
      slackBotToken: undefined,
      slackAppToken: undefined,
      slackApiUrl: undefined,
      graphApiUrl: 'https://graph.microsoft.com/v1.0',
      graphAuthorityUrl: 'https://login.microsoftonline.com',
      graphApp: undefined,
      admins: [],
      homeDomains: [],
      allowedTenants: [],
      allowedTeams: [],
      apiTokens: [],
      logLevel: 'info',
      demoData: true,
    });
  });

  test('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://accessbot.woodgrove.example/',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/accessbot',
      DATA_DIR: '/var/lib/accessbot',
      MicrosoftAppId: 'app-id',
      MicrosoftAppPassword: 'app-password',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant-id',
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9000/api/',
      GRAPH_API_URL: 'https://graph.example.test/v1.0',
      ADMINS: ' Alice@Example.com ,bob@example.com,',
      HOME_DOMAINS: 'Woodgrove.example, contoso.com',
      ALLOWED_TENANTS: 'tenant-1,72f988bf-86f1-41af-91ab-2d7cd011db47',
      ADMIN_API_TOKEN: 'x'.repeat(32),
      ADMIN_API_TOKENS: ` ci-sync:${'y'.repeat(40)} ,`,
      LOG_LEVEL: 'debug',
      DEMO_DATA: 'false',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://accessbot.woodgrove.example',
      databaseUrl: 'postgresql://app:pw@db.internal:5432/accessbot',
      dataDir: '/var/lib/accessbot',
      microsoftAppType: 'SingleTenant',
      microsoftAppTenantId: 'tenant-id',
      slackApiUrl: 'http://127.0.0.1:9000/api/',
      admins: ['alice@example.com', 'bob@example.com'],
      homeDomains: ['woodgrove.example', 'contoso.com'],
      allowedTenants: ['tenant-1', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
      apiTokens: [
        { name: 'default', token: 'x'.repeat(32) },
        { name: 'ci-sync', token: 'y'.repeat(40) },
      ],
      logLevel: 'debug',
      demoData: false,
    });
  });

  test('demo data loads by default only into the embedded database', () => {
    const url = 'postgresql://app@db/accessbot';
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ DATABASE_URL: url }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).demoData).toBe(false);
  });

  test.each([
    ['a token without a name', 'z'.repeat(40), 'entry 1 must be name:token'],
    ['a name with a space', `ci sync:${'z'.repeat(40)}`, 'entry 1 must be name:token'],
    ['a short token', `a:${'z'.repeat(40)},ci:short-token-1`, 'the token named "ci" must be'],
    ['a name used twice', `a:${'z'.repeat(40)},a:${'w'.repeat(40)}`, 'the name "a" is used twice'],
    [
      'one token twice',
      `a:${'z'.repeat(40)},b:${'z'.repeat(40)}`,
      'the token named "b" is the same as another one',
    ],
  ])('ADMIN_API_TOKENS with %s is refused, without echoing a token', (_label, value, problem) => {
    const message = configError({ ADMIN_API_TOKENS: value });
    expect(message).toContain(`ADMIN_API_TOKENS: ${problem}`);
    expect(message).not.toMatch(/zzzz|wwww|short-token-1/);
  });

  test('ADMIN_API_TOKENS cannot take the name ADMIN_API_TOKEN goes by', () => {
    expect(
      configError({
        ADMIN_API_TOKEN: 'x'.repeat(32),
        ADMIN_API_TOKENS: `default:${'y'.repeat(32)}`,
      }),
    ).toContain('ADMIN_API_TOKENS: the name "default" belongs to ADMIN_API_TOKEN');
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', DEMO_DATA: '' })).toMatchObject({
      port: 3978,
      publicUrl: 'http://localhost:3978',
      databaseUrl: undefined,
      demoData: true,
    });
  });

  test.each([
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', 'http'],
    ['DATABASE_URL', 'mysql://db/accessbot'],
    ['DATABASE_URL', 'not a url'],
    ['MicrosoftAppType', 'Multitenant'],
    ['SLACK_API_URL', 'slack.test/api'],
    ['GRAPH_API_URL', 'ftp://graph.test'],
    ['GRAPH_AUTHORITY_URL', 'http://login.example.test'],
    ['ADMINS', 'alice@example.com,bob'],
    ['HOME_DOMAINS', 'woodgrove.example,not a domain'],
    ['ALLOWED_TENANTS', 'tenant 1'],
    ['ALLOWED_TEAMS', 'T01,not a team'],
    ['ADMIN_API_TOKEN', 'too-short'],
    ['WEBHOOK_SECRET', 'too-short'],
    ['LOG_LEVEL', 'verbose'],
    ['DEMO_DATA', 'no'],
  ])('rejects %s=%j and names it', (name, value) => {
    const message = configError({ [name]: value });
    expect(message.split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^  ${name}: `)),
    ]);
  });

  test('lists every bad variable, one per line', () => {
    const message = configError({ PORT: '-1', LOG_LEVEL: 'loud', DEMO_DATA: 'maybe' });
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  PORT: must be an integer from 1 to 65535',
      '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      '  DEMO_DATA: must be true or false',
    ]);
  });

  test('names the bad admin email', () => {
    expect(configError({ ADMINS: 'alice@example.com, Not-An-Email' })).toContain(
      'ADMINS: "not-an-email" is not a valid email address',
    );
  });

  test('a single-tenant bot needs its tenant id', () => {
    expect(configError({ MicrosoftAppType: 'SingleTenant' })).toContain(
      'MicrosoftAppTenantId: is required when MicrosoftAppType is SingleTenant',
    );
  });

  test('the Graph connector takes its app as three variables, all or none', () => {
    const app = {
      GRAPH_TENANT_ID: 'woodgrove.onmicrosoft.com',
      GRAPH_CLIENT_ID: '0f6b1a2c-3d4e-4f50-8a9b-0c1d2e3f4a5b',
      GRAPH_CLIENT_SECRET: 'graph-secret-value-d41e',
    };
    expect(
      loadConfig({
        ...app,
        GRAPH_API_URL: 'https://graph.microsoft.us/v1.0/',
        GRAPH_AUTHORITY_URL: 'https://login.microsoftonline.us/',
      }),
    ).toMatchObject({
      graphApiUrl: 'https://graph.microsoft.us/v1.0',
      graphAuthorityUrl: 'https://login.microsoftonline.us',
      graphApp: {
        tenantId: 'woodgrove.onmicrosoft.com',
        clientId: app.GRAPH_CLIENT_ID,
        clientSecret: app.GRAPH_CLIENT_SECRET,
      },
    });
    const missing = configError({ GRAPH_CLIENT_SECRET: app.GRAPH_CLIENT_SECRET });
    expect(missing.split('\n').slice(1)).toEqual([
      '  GRAPH_TENANT_ID: is required with GRAPH_CLIENT_SECRET (set all three, or none)',
      '  GRAPH_CLIENT_ID: is required with GRAPH_CLIENT_SECRET (set all three, or none)',
    ]);
    expect(missing).not.toContain(app.GRAPH_CLIENT_SECRET);
    expect(
      configError({ ...app, GRAPH_TENANT_ID: 'not a tenant', GRAPH_CLIENT_ID: 'my-app' })
        .split('\n')
        .slice(1),
    ).toEqual([
      '  GRAPH_TENANT_ID: must be the directory (tenant) id, a GUID, or its domain name',
      '  GRAPH_CLIENT_ID: must be the application (client) id, a GUID',
    ]);
    // The Graph client sends its token over https only.
    expect(configError({ ...app, GRAPH_API_URL: 'http://127.0.0.1:9000/v1.0' })).toContain(
      'GRAPH_API_URL: must be an https:// URL when the Graph connector is configured',
    );
  });

  test('Socket Mode needs an app-level token, and a bot token beside it', () => {
    expect(configError({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toContain(
      'SLACK_APP_TOKEN: must be an app-level token (xapp-…) with the connections:write scope',
    );
    expect(configError({ SLACK_APP_TOKEN: 'xapp-1' })).toContain(
      'SLACK_APP_TOKEN: Socket Mode needs SLACK_BOT_TOKEN too (xoxb-…)',
    );
  });

  test('never repeats a secret, even one put into the wrong variable', () => {
    const secrets = {
      MicrosoftAppPassword: 'ms-app-password-4f1c',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-9a7e',
      SLACK_BOT_TOKEN: 'xoxb-bot-token-33d2',
      SLACK_APP_TOKEN: 'xapp-app-token-81bb',
      ADMIN_API_TOKEN: 'admin-token-short-6e',
      GRAPH_CLIENT_SECRET: 'graph-client-secret-1f0a',
    };
    const message = configError({
      ...secrets,
      DATABASE_URL: 'mysql://app:db-password-0c9d@db/accessbot',
      SLACK_API_URL: 'xoxb-pasted-into-url-var-5a1f',
      MicrosoftAppType: 'xapp-pasted-into-enum-77e0',
      PORT: 'xoxb-pasted-into-port-2b44',
      GRAPH_CLIENT_ID: 'graph-secret-pasted-into-id-c3d1',
    });
    expect(message).toContain('ADMIN_API_TOKEN:');
    expect(message).toContain('DATABASE_URL:');
    for (const secret of [
      ...Object.values(secrets),
      'db-password-0c9d',
      'xoxb-pasted-into-url-var-5a1f',
      'xapp-pasted-into-enum-77e0',
      'xoxb-pasted-into-port-2b44',
      'graph-secret-pasted-into-id-c3d1',
    ]) {
      expect(message).not.toContain(secret);
    }
  });
});

describe('redactUrl', () => {
  test('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/accessbot')).toBe(
      'postgres://app:***@db:5432/accessbot',
    );
  });

  test('leaves a URL without password alone', () => {
    expect(redactUrl('postgres://db:5432/accessbot')).toBe('postgres://db:5432/accessbot');
  });

  test('does not echo what it cannot parse', () => {
    expect(redactUrl('postgres://app:s3cret@bad host/db')).not.toContain('s3cret');
  });
});
