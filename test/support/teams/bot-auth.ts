import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { LocalServer } from '../local-server';
import express from 'express';
import jwt from 'jsonwebtoken';
import {
  AppCredentials,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentials,
} from 'botframework-connector';
import type { BotFrameworkEndpoints } from '../../../bot/teams/adapter';

const ISSUER = 'https://api.botframework.com';
// One of the Azure AD issuers botbuilder accepts for Emulator tokens (Microsoft's tenant).
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

/**
 * The Bot Framework's identity side, on 127.0.0.1: the OpenID metadata and signing keys that
 * botbuilder fetches to validate incoming activities, and a token endpoint for outgoing calls.
 * Tokens are signed with a key made for this run; `foreignKey` signs as an impostor would.
 */
export class BotAuthServer {
  readonly kid = randomUUID();
  readonly tokensIssued: string[] = [];
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  private server?: LocalServer;

  constructor(
    readonly appId: string,
    readonly appPassword: string,
  ) {}

  get url() {
    return this.server!.url;
  }

  get endpoints(): BotFrameworkEndpoints {
    return {
      ToBotFromChannelOpenIdMetadataUrl: `${this.url}/channel/openid`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${this.url}/emulator/openid`,
      ToChannelFromBotLoginUrl: `${this.url}/login`,
      ToChannelFromBotOAuthScope: ISSUER,
      ToBotFromChannelTokenIssuer: ISSUER,
      OAuthUrl: this.url,
      CallerId: 'urn:botframework:azure',
    };
  }

  async start(): Promise<this> {
    const app = express();
    app.get('/channel/openid', (_req, res) => {
      res.json({
        issuer: ISSUER,
        jwks_uri: `${this.url}/channel/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    });
    app.get('/channel/keys', (_req, res) => {
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      res.json({ keys: [{ ...jwk, kid: this.kid, use: 'sig', endorsements: ['msteams'] }] });
    });
    // Emulator tokens are Azure AD tokens; served here with the same key, so that only the
    // adapter's own rule can refuse them.
    app.get('/emulator/openid', (_req, res) => {
      res.json({
        issuer: EMULATOR_ISSUER,
        jwks_uri: `${this.url}/emulator/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    });
    app.get('/emulator/keys', (_req, res) => {
      res.json({
        keys: [{ ...this.key.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig' }],
      });
    });
    app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
      if (req.body.client_id !== this.appId || req.body.client_secret !== this.appPassword) {
        return void res.status(401).json({ error: 'invalid_client' });
      }
      const token = `outgoing-${randomUUID()}`;
      this.tokensIssued.push(token);
      res.json({ access_token: token, expires_in: 3600, token_type: 'Bearer' });
    });
    this.server = await LocalServer.start(app);
    return this;
  }

  async stop() {
    await this.server?.stop();
  }

  /** A channel token as Teams sends it with each activity. */
  sign(serviceUrl: string, opts: { expired?: boolean; foreign?: boolean; audience?: string } = {}) {
    const key: KeyObject = opts.foreign ? this.foreignKey : this.key.privateKey;
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { serviceurl: serviceUrl, nbf: now - 60, exp: opts.expired ? now - 600 : now + 600 },
      key,
      {
        algorithm: 'RS256',
        keyid: this.kid,
        issuer: ISSUER,
        audience: opts.audience ?? this.appId,
      },
    );
  }

  /** An Emulator-style Azure AD token naming this app as its client, valid in every other way. */
  signEmulator() {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { appid: this.appId, ver: '1.0', nbf: now - 60, exp: now + 600 },
      this.key.privateKey,
      {
        algorithm: 'RS256',
        keyid: this.kid,
        issuer: EMULATOR_ISSUER,
        audience: this.appId,
      },
    );
  }

  /** Outgoing credentials that get their token from this server instead of Entra. */
  credentials(): PasswordServiceClientCredentialFactory {
    const tokenUrl = `${this.url}/token`;
    const secret = this.appPassword;
    return new (class extends PasswordServiceClientCredentialFactory {
      override async createCredentials(appId: string): Promise<ServiceClientCredentials> {
        if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
        return new LocalTokenCredentials(appId, tokenUrl, secret);
      }
    })(this.appId, this.appPassword, '');
  }
}

class LocalTokenCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly tokenUrl: string,
    private readonly secret: string,
  ) {
    super(appId, undefined, ISSUER);
  }

  protected async refreshToken() {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.appId,
        client_secret: this.secret,
        scope: `${ISSUER}/.default`,
      }),
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    return {
      accessToken: body.access_token,
      expiresOn: new Date(Date.now() + body.expires_in * 1000),
    };
  }
}
