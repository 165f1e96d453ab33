/** A problem the person packaging can fix; the CLI prints its message without a stack. */
export class PackagingError extends Error {
  override name = 'PackagingError';
}
