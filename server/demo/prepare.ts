import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiToken, Config } from '../config';
import { DEFAULT_TOKEN_NAME } from '../domain/actor';
import type { Services } from '../domain/services';
import type { Logger } from '../logger';
import { demoInstructions, loadDemoData } from './woodgrove';

/** Where the instructions go: plain lines when it is a terminal, else a JSON log line. */
export type Stdout = Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;

/**
 * Loads the demo into an empty database and makes the admin API usable without set-up: with
 * no admin API token configured, a random one is kept in a file only this user can read, and
 * the instructions point at the file rather than printing the secret.
 */
export async function prepareDemo(
  services: Services,
  config: Config,
  logger: Logger,
  stdout: Stdout = process.stdout,
): Promise<ApiToken[]> {
  const demo = await loadDemoData(services);
  let tokens = config.apiTokens;
  let tokenHint = tokens.some((t) => t.name === DEFAULT_TOKEN_NAME)
    ? '$ADMIN_API_TOKEN'
    : `<your ${tokens[0]?.name} token>`;
  if (!tokens.length) {
    const file = path.resolve(config.dataDir, 'admin-api-token');
    tokens = [{ name: DEFAULT_TOKEN_NAME, token: readToken(file) ?? writeToken(file) }];
    const relative = path.relative(process.cwd(), file);
    tokenHint = `$(cat ${relative && !relative.startsWith('..') ? relative : file})`;
  }
  if (demo) {
    const instructions = demoInstructions(`http://localhost:${config.port}`, tokenHint, demo);
    if (stdout.isTTY) stdout.write(`${instructions}\n`);
    else logger.info({ instructions: instructions.split('\n') }, 'demo data ready');
  }
  return tokens;
}

function readToken(file: string): string | null {
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    return token.length >= 32 ? token : null;
  } catch {
    return null;
  }
}

function writeToken(file: string): string {
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
