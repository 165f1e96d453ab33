import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import type { Logger } from 'pino';

type Cell = string | number | null;

export interface CsvColumn<T> {
  header: string;
  value(row: T): Cell;
}

export interface CsvFile {
  /** Without extension; `.csv` is added. */
  name: string;
  columns: Array<CsvColumn<never>>;
  /** Read as the client takes them, so only what is in flight is held in memory. */
  rows: AsyncIterable<unknown>;
  /** Hears of failures after the first byte, which the client only sees as a cut-off download. */
  logger: Logger;
}

export const csvOf = <T>(
  name: string,
  columns: Array<CsvColumn<T>>,
  rows: AsyncIterable<T>,
  logger: Logger,
): CsvFile => ({ name, columns: columns as Array<CsvColumn<never>>, rows, logger });

/** The rows of each page with what `join` looked up for the whole page in one go. */
export async function* perPage<P, T>(
  pages: AsyncIterable<P[]>,
  join: (page: P[]) => Promise<T[]>,
): AsyncGenerator<T> {
  for await (const page of pages) yield* await join(page);
}

async function* recordsOf(file: CsvFile): AsyncGenerator<Cell[]> {
  for await (const row of file.rows) yield file.columns.map((c) => c.value(row as never));
}

// yield* hands a return() from the stream on to the rows, so an aborted export stops reading.
async function* resume<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* { [Symbol.asyncIterator]: () => rest };
}

/**
 * Writes a CSV download. Cells a spreadsheet would run as a formula (= + - @ tab CR) get a
 * leading apostrophe: justifications and reasons are typed by requesters.
 *
 * The first row is read before the status line, so a failure there is still a JSON error.
 * Later failures destroy the response: the client sees a truncated transfer (no final chunk),
 * never a CSV that looks complete. They are logged here, without row data, and not rethrown:
 * the response is already gone and nothing else can answer it.
 */
export async function sendCsv(res: Response, file: CsvFile): Promise<void> {
  const records = recordsOf(file);
  const first = await records.next();
  // attachment() sets a type from the extension; the explicit one, with its charset, comes after.
  res.status(200).attachment(`${file.name}.csv`).type('text/csv; charset=utf-8');
  await pipeCsv(file, resume(first, records), res);
}

/** Streams records into `out` with backpressure: rows are read only as fast as `out` takes them. */
export async function pipeCsv(
  file: Pick<CsvFile, 'name' | 'columns' | 'logger'>,
  records: AsyncIterable<Cell[]>,
  out: Writable,
): Promise<void> {
  let read = 0;
  async function* counted() {
    for await (const record of records) {
      read++;
      yield record;
    }
  }
  try {
    await pipeline(Readable.from(counted()), csvStringifier(file), out);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const gone = e.code === 'ERR_STREAM_PREMATURE_CLOSE';
    // The error's identity only: a database error's parameters or a row's cells stay out.
    file.logger[gone ? 'info' : 'error'](
      {
        export: file.name,
        rowsRead: read,
        err: { name: e.name, code: e.code, message: e.message, stack: e.stack },
      },
      gone ? 'csv export: client went away' : 'csv export failed; download cut off',
    );
  }
}

const csvStringifier = (file: Pick<CsvFile, 'columns'>) =>
  stringify({ header: true, columns: file.columns.map((c) => c.header), escape_formulas: true });

/**
 * The whole CSV in memory, for a chat platform that takes a file rather than a link. Unlike a
 * download, nothing has been sent yet when a page fails, so the failure is the caller's to
 * answer (a cut-off file must never look complete).
 */
export async function csvBytes(file: CsvFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(recordsOf(file)), csvStringifier(file), async (csv) => {
    for await (const chunk of csv) chunks.push(Buffer.from(chunk as string | Buffer));
  });
  return Buffer.concat(chunks);
}
