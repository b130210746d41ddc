/**
 * Where `chart.js` is installed, as this package resolves it (a dependency of this one,
 * so possibly nested under it). CommonJS on purpose: `require.resolve` needs no
 * `import.meta`, which a CommonJS build cannot hold, so this one file serves both builds.
 * @internal
 */
export function chartJsMainPath(): string {
  return require.resolve('chart.js');
}
