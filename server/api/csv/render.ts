import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

export interface CsvColumn<T> {
  header: string;
  value(row: T): string | number | null;
}

export interface CsvFile {
  /** Without extension; `.csv` is added. */
  name: string;
  columns: Array<CsvColumn<never>>;
  rows: unknown[];
}

export const csvOf = <T>(name: string, columns: Array<CsvColumn<T>>, rows: T[]): CsvFile => ({
  name,
  columns: columns as Array<CsvColumn<never>>,
  rows,
});

/**
 * Writes a CSV download. Cells a spreadsheet would run as a formula (= + - @ tab CR) get a
 * leading apostrophe: justifications and reasons are typed by requesters.
 */
export function sendCsv(res: Response, file: CsvFile) {
  const records = file.rows.map((row) => file.columns.map((c) => c.value(row as never)));
  const text = stringify(records, {
    header: true,
    columns: file.columns.map((c) => c.header),
    escape_formulas: true,
  });
  // attachment() sets a type from the extension; the explicit one, with its charset, comes after.
  res.status(200).attachment(`${file.name}.csv`).type('text/csv; charset=utf-8').send(text);
}
