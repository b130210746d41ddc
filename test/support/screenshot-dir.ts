import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the browser tests save their screenshots: `SOUVENIRS_SCREENSHOTS` when set
 * (`npm run screenshots` points it at docs/, to refresh the committed pictures), else a
 * folder under the OS temp dir, so a plain test run never rewrites tracked files.
 * Ends with a path separator.
 */
export function screenshotDir(): string {
  const folder = resolve(process.env.SOUVENIRS_SCREENSHOTS ?? join(tmpdir(), 'souvenirs-screenshots'));
  mkdirSync(folder, { recursive: true });
  return `${folder}/`;
}
