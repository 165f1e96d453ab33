import type { ErrorCode } from './dto/error';

/** An HTTP-level refusal that is not a domain rule, such as a body that is not JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
