export { runCli, CLI_EXIT_CODES } from './run-cli.js';
export type { CliIo } from './cli-command.interface.js';
export type { UsageReportKind } from './show-usage.command.js';
export type { ReportCell, ReportFormat, ReportTable } from '../shared/report-output.js';
export type { BackfillFileFormat } from './backfill-records.js';
