/*
 * The three outputs of `show-usage`: a plain table (python-tabulate's default "simple"
 * format, as django-souvenirs prints), CSV and JSON. Each returns the whole text, ending
 * with a newline. The CSV rule here is the only one: the dashboard's downloads use it too.
 */

/** One cell of a report: a label or formatted date, a count, or null (no `users` source). */
export type ReportCell = string | number | null;

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
 * What a spreadsheet reads as the start of a formula (OWASP "CSV Injection"): `=`, `+`,
 * `-`, `@`, TAB and CR. A text cell starting with one is written with a leading `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field, the one rule for every CSV the package writes (`show-usage --csv`, the
 * analytics commands, the dashboard's downloads):
 * - a finite number is written plain (`-3`, `0.25`): a spreadsheet reads it as that number;
 * - text (a label, a date, an axis value, the string `"-3"`, a non-finite number's
 *   `-Infinity`) that starts with a formula character gets a leading `'` and is quoted
 *   (`"'=1+2"`), as OWASP recommends, so a spreadsheet shows it as text and runs nothing;
 * - a field holding a comma, a quote, CR or LF is quoted, its quotes doubled (RFC 4180);
 * - null is the empty field.
 *
 * The type decides, not the text: a count of -3 is a number, an axis value "-3" is text.
 *
 * @example
 * csvField(-3); // '-3'
 * csvField('-3'); // "\"'-3\""
 * csvField('=HYPERLINK("x")'); // "\"'=HYPERLINK(\"\"x\"\")\""
 * @internal
 */
export function csvField(cell: ReportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  const text = String(cell);
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV (RFC 4180): the header row then the rows, each field written by {@link csvField}
 * (formula characters neutralised, quotes and line breaks quoted). Lines end with `\n`,
 * which RFC 4180 readers accept and `awk` expects.
 *
 * @internal
 */
export function formatCsv({ headers, rows }: ReportTable): string {
  return [headers, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
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
