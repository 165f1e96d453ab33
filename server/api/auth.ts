import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer authentication with ADMIN_API_TOKEN. Without a configured token every call is refused:
 * an unset variable never means "open". Digests have equal length, so the comparison takes the
 * same time whatever the caller sent.
 */
export function bearerAuth(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, res, next) => {
    if (!expected) {
      res.status(503).json({
        error: { code: 'notConfigured', message: 'Set ADMIN_API_TOKEN to use the admin API.' },
      });
      return;
    }
    const match = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="accessbot"');
      res.status(401).json({
        error: { code: 'unauthorized', message: 'Send the admin API token as a Bearer token.' },
      });
      return;
    }
    next();
  };
}
