/**
 * Jest runs the TypeScript sources as native ES modules (NestJS 12 ships ESM only),
 * transformed by SWC with decorator metadata so Nest's DI sees constructor types.
 * Type checking is `tsc --noEmit`, a separate step of `npm test`.
 */
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    // A `.cts` source is CommonJS in both builds (lib/dashboard/chart-js-location.cts).
    '^.+\\.cts$': ['@swc/jest', { ...swc, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: {
    // The package's entry points, as a third party imports them (package.json `exports`;
    // tsconfig.json `paths` gives tsc the same names).
    '^nestjs-souvenirs$': '<rootDir>/lib/index.ts',
    '^nestjs-souvenirs/store$': '<rootDir>/lib/store/index.ts',
    '^nestjs-souvenirs/errors$': '<rootDir>/lib/errors/index.ts',
    '^nestjs-souvenirs/dashboard$': '<rootDir>/lib/dashboard/dashboard-data.interface.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(\\.{1,2}/.*)\\.cjs$': '$1.cts',
  },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testTimeout: 30000,
  // Integration suites share one PostgreSQL, MariaDB and Redis; each uses its own
  // schema or key prefix, so files may run in parallel on the two cores.
  maxWorkers: 2,
};
