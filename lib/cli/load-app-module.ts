import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamicModule, Type } from '@nestjs/common';
import { CliUsageError } from '../errors/cli-usage.error.js';

/** The export the bin takes when `--app` names none. @internal */
export const DEFAULT_APP_EXPORT = 'AppModule';

/** The application module `--app` names, and the file it came from. @internal */
export interface LoadedAppModule {
  module: Type<unknown> | DynamicModule;
  file: string;
}

/**
 * Imports the application module named by `path/to/module.js[#ExportName]` (relative to
 * `cwd`), as the `souvenirs` bin's `--app` or `SOUVENIRS_APP` gives it. The export defaults to
 * `AppModule`; it may be a module class or a dynamic module.
 *
 * @throws CliUsageError when the export is missing or not a module.
 * @throws the import's own error when the file cannot be imported.
 * @internal
 */
export async function loadAppModule(spec: string, cwd = process.cwd()): Promise<LoadedAppModule> {
  const hash = spec.lastIndexOf('#');
  const path = hash < 0 ? spec : spec.slice(0, hash);
  const exportName = (hash < 0 ? '' : spec.slice(hash + 1)) || DEFAULT_APP_EXPORT;
  if (path === '') throw new CliUsageError(`--app ${JSON.stringify(spec)} names no file; write path/to/module.js[#ExportName].`);
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  const url = pathToFileURL(file).href;
  const exports = (await import(url)) as Record<string, unknown>;
  const module = exports[exportName];
  const isModule = typeof module === 'function' || (typeof module === 'object' && module !== null && 'module' in module);
  if (!isModule) {
    const names = Object.keys(exports).join(', ') || 'nothing';
    throw new CliUsageError(
      `${path} has no Nest module exported as ${exportName} (it exports ${names}); write --app ${path}#ExportName.`,
    );
  }
  return { module: module as Type<unknown> | DynamicModule, file };
}
