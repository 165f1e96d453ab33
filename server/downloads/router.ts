import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { sendCsv } from '../api/csv/render';
import { DomainError } from '../domain/errors';
import type { Services } from '../domain/services';
import { exportCsv } from './export-csv';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

// Opened in a browser from a chat link, so refusals are short plain sentences.
const GONE = 'This download link has expired or is not valid. Ask Accessbot in chat for a new one.';

/** GET /downloads/:token: the CSV a chat command asked for, streamed as the user who asked. */
export function createDownloadRouter(services: Services, logger: Logger): Router {
  const router = express.Router();
  router.get('/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    try {
      if (!TOKEN.test(req.params.token)) throw new DomainError('notFound', GONE);
      const link = await services.downloads.resolve(req.params.token);
      const actor = await services.directory.actorFor(link.userId, { channel: link.channel });
      await sendCsv(res, await exportCsv(services, actor, link));
    } catch (err) {
      if (!(err instanceof DomainError)) {
        logger.error({ err: { message: (err as Error).message } }, 'download failed');
        res.status(500).type('text/plain').send('The download failed; it has been logged.');
        return;
      }
      const status = err.code === 'forbidden' ? 403 : err.code === 'notFound' ? 404 : 400;
      res
        .status(status)
        .type('text/plain')
        .send(err.code === 'notFound' ? GONE : err.message);
    }
  });
  return router;
}
