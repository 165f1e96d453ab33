import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AlreadyDecided, DomainError, type DomainErrorCode } from '../domain/errors';
import { iso } from './dto/dates';
import type { ErrorCode, ErrorDto } from './dto/error';
import { HttpError } from './http-error';
import { invalidFromZod } from './validation';

const STATUS: Record<DomainErrorCode, number> = {
  notFound: 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  alreadyDecided: 409,
};

// body-parser marks its errors with a `type`; these are the client's mistakes.
const BODY_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'invalidJson',
    message: 'The body is not valid JSON.',
  },
  'entity.too.large': { status: 413, code: 'tooLarge', message: 'The body is larger than 100 KB.' },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupportedEncoding',
    message: 'The body encoding is not supported.',
  },
  'charset.unsupported': {
    status: 415,
    code: 'unsupportedCharset',
    message: 'Send the body as UTF-8 JSON.',
  },
};

// Typed by the document's Error schema, so a code it does not list does not compile.
const reply = (error: ErrorDto['error']): ErrorDto => ({ error });

function domainReply(err: DomainError): ErrorDto['error'] {
  if (err instanceof AlreadyDecided) {
    const { outcome } = err;
    return { code: err.code, message: err.message, outcome: { ...outcome, at: iso(outcome.at) } };
  }
  return { code: err.code, message: err.message, ...err.details };
}

/**
 * Every error of the admin API is answered here, once. Domain errors and bad input become
 * 4xx with their code; anything else is a bug: logged (never the body or the token) and
 * answered with a bare 500.
 */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const error = err instanceof ZodError ? invalidFromZod(err, 'input') : err;
    if (error instanceof DomainError) {
      res.status(STATUS[error.code]).json(reply(domainReply(error)));
      return;
    }
    if (error instanceof HttpError) {
      res.status(error.status).json(reply({ code: error.code, message: error.message }));
      return;
    }
    const bodyError = typeof error?.type === 'string' ? BODY_ERRORS[error.type] : undefined;
    if (bodyError) {
      res
        .status(bodyError.status)
        .json(reply({ code: bodyError.code, message: bodyError.message }));
      return;
    }
    if (error?.expose && error.status >= 400 && error.status < 500) {
      res.status(error.status).json(reply({ code: 'badRequest', message: String(error.message) }));
      return;
    }
    // Only what identifies the failure: a database error's parameters would carry the body.
    logger.error(
      {
        err: { name: error?.name, message: error?.message, code: error?.code, stack: error?.stack },
        method: req.method,
        route: req.route?.path,
        requestId: res.get('x-request-id'),
      },
      'admin API: unhandled error',
    );
    res.status(500).json(reply({ code: 'internal', message: 'Internal error' }));
  };
}
