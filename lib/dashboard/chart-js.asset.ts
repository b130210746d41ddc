import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartJsMainPath } from './chart-js-location.cjs';

let cached: string | undefined;

/**
 * Chart.js's UMD build, read from the installed `chart.js` package (a dependency of
 * this one) so the dashboard never loads code from a CDN. Its `exports` map hides
 * `dist/chart.umd.min.js`, so the file is found beside the package's main entry.
 * Read once, on first request.
 * @internal
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    const main = chartJsMainPath();
    // Without its source map comment: the map is not served, so a browser would ask in vain.
    cached = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  }
  return cached;
}
