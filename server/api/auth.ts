import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { ApiToken } from '../config';
import { HttpError } from './http-error';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer authentication with the configured admin API tokens. Without any, every call is
 * refused: an unset variable never means "open". Every token is compared, whichever matches,
 * and digests have equal length, so the time taken says nothing about what the caller sent.
 * The name of the matching token is left for `tokenNameOf`.
 */
export function bearerAuth(tokens: readonly ApiToken[]): RequestHandler {
  const expected = tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));
  return (req, res, next) => {
    if (!expected.length) {
      next(
        new HttpError(
          503,
          'notConfigured',
          'Set ADMIN_API_TOKEN or ADMIN_API_TOKENS to use the admin API.',
        ),
      );
      return;
    }
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    const sent = digest(match?.[1] ?? '');
    let name: string | null = null;
    for (const t of expected) {
      if (timingSafeEqual(sent, t.digest) && match) name = t.name;
    }
    if (name === null) {
      res.set('WWW-Authenticate', 'Bearer realm="accessbot"');
      next(new HttpError(401, 'unauthorized', 'Send an admin API token as a Bearer token.'));
      return;
    }
    res.locals.apiTokenName = name;
    next();
  };
}

/** The name of the token the request was authenticated with. */
export function tokenNameOf(res: Response): string {
  const name: unknown = res.locals.apiTokenName;
  if (typeof name !== 'string') throw new Error('bearerAuth did not run before this route');
  return name;
}
