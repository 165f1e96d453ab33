import type { RequestHandler } from 'express';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Without MicrosoftAppId, botbuilder checks no token at all: anyone who can reach
 * /api/messages could post as anyone. So such a bot answers its own machine only (the Agents
 * Playground, local tests). The socket's address decides; a forwarded-for header is a claim.
 */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return next();
  res.status(403).json({
    error: {
      code: 'forbidden',
      message:
        'This bot has no MicrosoftAppId, so it accepts activities from this machine only. Set MicrosoftAppId and MicrosoftAppPassword to accept them from Teams.',
    },
  });
};

/** Said at start-up, so that an unconfigured bot is never mistaken for a secured one. */
export const UNAUTHENTICATED_WARNING =
  'MicrosoftAppId is not set: /api/messages checks no tokens and accepts activities from this machine only (for the Agents Playground).';
