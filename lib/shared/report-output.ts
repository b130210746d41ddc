/*
 * The three outputs of `show-usage`: a plain table (python-tabulate's default "simple"
 * format, as django-souvenirs prints), CSV and JSON. Each returns the whole text, ending
 * with a newline.
 */

/** One cell of a report: a label or formatted date, a count, a flag (`partial`), or null (no `users` source). */
export type ReportCell = string | number | boolean | null;

/** A report ready to print: column names and rows, in display order. */
export interface ReportTable {
  headers: string[];
  rows: ReportCell[][];
}

/** The output formats of `show-usage`. */
export type ReportFormat = 'table' | 'csv' | 'json';

/** Tabulate's minimum padding around a header: a column is at least its header plus two. */
const HEADER_PADDING = 2;
const COLUMN_GAP = '  ';

/**
 * A plain table: the header row, a rule of dashes under each header, then the rows.
 * Columns are separated by two spaces; number columns (every cell a number or null) are
 * right-aligned, header included, and the others left-aligned. A null cell is blank.
 * Trailing spaces are trimmed, so `awk '{print $NF}'` sees the last column.
 *
 * @example
 * formatTable({ headers: ['date', 'active'], rows: [['2010-03-08', 0]] });
 * // 'date          active\n----------  --------\n2010-03-08         0\n'
 * @internal
 */
export function formatTable({ headers, rows }: ReportTable): string {
  const text = rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'));
  const widths = headers.map((header, c) =>
    Math.max(header.length + HEADER_PADDING, ...text.map((row) => row[c].length)),
  );
  const align = (cell: string, c: number) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]));
  const line = (cells: string[]) => cells.map(align).join(COLUMN_GAP).trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join(COLUMN_GAP), ...text.map(line)].join('\n') + '\n';
}

/**
 * CSV (RFC 4180): the header row then the rows; a field holding a comma, a quote or a
 * line break is quoted, and a null cell is empty. Lines end with `\n`.
 *
 * @internal
 */
export function formatCsv({ headers, rows }: ReportTable): string {
  const field = (cell: ReportCell) => {
    const value = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
  return [headers, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

/**
 * JSON: an array of objects keyed by column, counts as numbers and null kept as null,
 * pretty-printed with two spaces.
 *
 * @example
 * formatJson({ headers: ['year', 'active'], rows: [['Y01', 1]] }); // '[\n  {\n    "year": "Y01",\n    "active": 1\n  }\n]\n'
 * @internal
 */
export function formatJson({ headers, rows }: ReportTable): string {
  const objects = rows.map((row) => Object.fromEntries(headers.map((header, c) => [header, row[c]])));
  return JSON.stringify(objects, null, 2) + '\n';
}

/** The report in `format`. @internal */
export function formatReport(table: ReportTable, format: ReportFormat): string {
  switch (format) {
    case 'csv':
      return formatCsv(table);
    case 'json':
      return formatJson(table);
    default:
      return formatTable(table);
  }
}
