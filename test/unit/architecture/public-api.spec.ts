import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { exportedNames } from './public-api.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Each entry point of the package (a subpath of package.json `exports`) and its source. */
const ENTRY_POINTS: Record<string, string> = {
  '.': 'lib/index.ts',
  './store': 'lib/store/index.ts',
  './errors': 'lib/errors/index.ts',
  './dashboard': 'lib/dashboard/dashboard-data.interface.ts',
};

/**
 * What `nestjs-souvenirs` exports, types included. Growing the API means adding the name here
 * too, in the same change, and the list stays at most {@link ROOT_API_LIMIT} long: a user should
 * be able to hold it in their head.
 */
const ROOT_API = [
  'ActiveUsersRow',
  'ActivityService',
  'Axis',
  'AxisValue',
  'BeforeRetentionHorizonError',
  'CLI_EXIT_CODES',
  'HierarchicalAxis',
  'InjectSouvenirsStore',
  'InvalidAxisValueError',
  'InvalidBackfillEntryError',
  'InvalidDateError',
  'InvalidMetricaValueError',
  'InvalidOptionError',
  'InvalidRangeError',
  'InvalidSubsetError',
  'InvalidTenantError',
  'InvalidTimespanError',
  'InvalidUserError',
  'KickDroppedError',
  'LifecycleRow',
  'MAX_ANALYTICS_DAYS',
  'MAX_REPORT_PERIODS',
  'MemorySouvenirsStore',
  'Metrica',
  'MetricaDefinition',
  'MetricaRegistry',
  'MetricaValues',
  'NoTrack',
  'RESPONSE_TIME_METRICA',
  'RangeTooLargeError',
  'RedisSouvenirsStore',
  'RegisteredUsers',
  'ReportsService',
  'RequestTracking',
  'RetentionCohort',
  'SOUVENIRS_ENTITIES',
  'SOUVENIRS_MIGRATIONS',
  'SUPPORTED_DATES',
  'Scale',
  'Souvenir',
  'SouvenirsError',
  'SouvenirsInterceptor',
  'SouvenirsModule',
  'SouvenirsModuleOptions',
  'SouvenirsOptionsFactory',
  'SouvenirsStore',
  'StickinessRow',
  'StoreUnavailableError',
  'StoredChoiceAxis',
  'TooManyChoicesError',
  'Track',
  'UnknownAxisError',
  'UnknownMetricaError',
  'UnknownTimeZoneError',
  'UsageRow',
  'UserRef',
  'UsersSource',
  'adjustToCalendarMonth',
  'adjustToSubscriptionStart',
  'getSouvenirsStoreToken',
  'iterDays',
  'iterMonths',
  'iterQuarters',
  'iterYears',
  'nearestDom',
  'nextMonth',
  'requestUser',
  'runCli',
];
const ROOT_API_LIMIT = 70;

/** The names ../shared/SPEC.md (the product contract) gives users: they stay in the root. */
const SPEC_NAMES = [
  'SouvenirsModule',
  'SouvenirsModuleOptions',
  'ActivityService',
  'UserRef',
  'Souvenir',
  'SOUVENIRS_ENTITIES',
  'SOUVENIRS_MIGRATIONS',
  'ReportsService',
  'UsageRow',
  'UsersSource',
  'ActiveUsersRow',
  'RetentionCohort',
  'LifecycleRow',
  'StickinessRow',
  'iterDays',
  'iterMonths',
  'iterQuarters',
  'iterYears',
  'nextMonth',
  'nearestDom',
  'adjustToCalendarMonth',
  'adjustToSubscriptionStart',
  'MetricaRegistry',
  'MetricaDefinition',
  'Scale',
  'Axis',
  'StoredChoiceAxis',
  'HierarchicalAxis',
  'Metrica',
  'AxisValue',
  'MetricaValues',
  'RESPONSE_TIME_METRICA',
  'SouvenirsError',
  'StoreUnavailableError',
  'Track',
  'NoTrack',
  'SouvenirsInterceptor',
  'runCli',
  'SouvenirsStore',
  'MemorySouvenirsStore',
  'RedisSouvenirsStore',
  'getSouvenirsStoreToken',
  'InjectSouvenirsStore',
];

/** What `nestjs-souvenirs/store` exports: all a third-party store needs, nothing it does not. */
const STORE_API = [
  'ActiveDayBuildWrite',
  'ActiveDayLog',
  'ActiveDayLogWrite',
  'ActiveDayLogsStore',
  'ActiveDayMembers',
  'ActiveDayMembersStore',
  'ActiveDayRef',
  'ActiveDayUnions',
  'ActiveDaysAmong',
  'ActiveDaysAmongStore',
  'ActiveDaysStore',
  'ActiveUserForget',
  'ActiveUsersAnswer',
  'ActiveUsersOfDay',
  'ActiveUsersPerTenant',
  'ActiveUsersPerTenantStore',
  'ActiveUsersQuery',
  'CounterCell',
  'CounterIncrements',
  'CounterTemplate',
  'FLUSH_ID_TTL_MS',
  'FirstActivityBuildWrite',
  'FirstActivityDay',
  'FirstActivityStore',
  'FirstActivityWindow',
  'FirstActivityWrite',
  'InjectSouvenirsStore',
  'InvalidStoreArgumentError',
  'InvalidUserNumberError',
  'KeyIncrements',
  'KeyWrite',
  'MemberAffix',
  'MemberCounters',
  'RateLimitClaim',
  'SouvenirsError',
  'SouvenirsStore',
  'UnexpectedStoreReplyError',
  'UserBitset',
  'applyTemplatePart',
  'checkActiveDay',
  'checkActiveDayBuildWrites',
  'checkActiveDayBuilds',
  'checkActiveDayLog',
  'checkActiveQueries',
  'checkActiveUserForget',
  'checkActiveUsersPerTenantQuery',
  'checkActiveWrites',
  'checkCells',
  'checkChoices',
  'checkClaimArguments',
  'checkDayIds',
  'checkFirstActivityBuildWrite',
  'checkFirstActivityCalendar',
  'checkFirstActivityDay',
  'checkFirstActivityWindow',
  'checkFirstActivityWrite',
  'checkFlushId',
  'checkIncrements',
  'checkInteger',
  'checkLockArguments',
  'checkReadActiveDayUnions',
  'checkReadActiveDays',
  'checkReadActiveDaysAmong',
  'checkReleasedClaim',
  'checkString',
  'checkSubjects',
  'checkTemplates',
  'countsActiveUsersPerTenant',
  'getSouvenirsStoreToken',
  'isTransientStoreError',
  'keepsActiveDayLogs',
  'keepsActiveDays',
  'keepsFirstActivity',
  'rateLimitSubject',
  'readsActiveDayMembers',
  'readsActiveDayUnions',
  'readsActiveDaysAmong',
  'subjectTenant',
  'subjectUser',
  'withinRateLimit',
];

/** The JSON rows of the dashboard's endpoints, from `nestjs-souvenirs/dashboard`. */
const DASHBOARD_API = [
  'ActiveUsersDay',
  'AnalyticsActiveUsersRow',
  'AnalyticsLifecycleRow',
  'AnalyticsRetentionRow',
  'AnalyticsStickinessRow',
  'AxisBreakdown',
  'AxisSeries',
  'AxisSlice',
  'LocalDayRange',
  'MetricaRangeTotals',
  'MetricaSummary',
  'MonthlyUsageRow',
  'PercentilePoint',
  'PeriodComparison',
  'ResponseTimeRow',
  'TimelinePoint',
];

/** The names one list has and the other lacks, both ways: an empty pair when they agree. */
const difference = (exported: readonly string[], pinned: readonly string[]) => ({
  exportedButNotListed: exported.filter((name) => !pinned.includes(name)),
  listedButNotExported: pinned.filter((name) => !exported.includes(name)),
});
const AGREE = { exportedButNotListed: [], listedButNotExported: [] };

describe('the public API', () => {
  let exported: Record<string, string[]>;
  beforeAll(() => {
    const names = exportedNames(Object.values(ENTRY_POINTS).map((source) => ROOT + source));
    exported = Object.fromEntries(Object.entries(ENTRY_POINTS).map(([subpath, source]) => [subpath, names.get(ROOT + source)!]));
  });

  describe("the package root, 'nestjs-souvenirs'", () => {
    it('exports exactly the names listed here (types included)', () => {
      expect(difference(exported['.'], ROOT_API)).toEqual(AGREE);
    });

    it(`lists at most ${ROOT_API_LIMIT} names, sorted`, () => {
      expect(ROOT_API.length).toBeLessThanOrEqual(ROOT_API_LIMIT);
      expect(ROOT_API).toEqual([...ROOT_API].sort());
    });

    it('keeps every name of the product contract', () => {
      expect(SPEC_NAMES.filter((name) => !ROOT_API.includes(name))).toEqual([]);
    });

    it('exports errors every one of which is also in nestjs-souvenirs/errors', () => {
      const errors = exported['.'].filter((name) => name.endsWith('Error'));
      expect(errors.filter((name) => !exported['./errors'].includes(name))).toEqual([]);
    });
  });

  it("'nestjs-souvenirs/store' exports exactly the names listed here", () => {
    expect(difference(exported['./store'], STORE_API)).toEqual(AGREE);
    expect(STORE_API).toEqual([...STORE_API].sort());
  });

  it("'nestjs-souvenirs/errors' exports error classes only, SouvenirsError among them", () => {
    expect(exported['./errors']).toContain('SouvenirsError');
    expect(exported['./errors'].filter((name) => !name.endsWith('Error'))).toEqual([]);
  });

  it("'nestjs-souvenirs/dashboard' exports exactly the rows listed here", () => {
    expect(difference(exported['./dashboard'], DASHBOARD_API)).toEqual(AGREE);
  });
});

describe('the entry points', () => {
  const subpaths = Object.keys(ENTRY_POINTS);
  const specifier = (subpath: string) => `nestjs-souvenirs${subpath.slice(1)}`;
  const dist = (build: string, source: string, extension: string) => `./dist/${build}/${source.slice('lib/'.length, -'.ts'.length)}${extension}`;
  const build = (name: string, source: string) => ({ types: dist(name, source, '.d.ts'), default: dist(name, source, '.js') });

  it('are what package.json `exports` ships: the ES build for import, the CommonJS one for require, types first', () => {
    const { exports } = JSON.parse(readFileSync(ROOT + 'package.json', 'utf8'));
    const expected = Object.fromEntries(
      subpaths.map((subpath) => [subpath, { import: build('esm', ENTRY_POINTS[subpath]), require: build('cjs', ENTRY_POINTS[subpath]) }]),
    );
    expect(exports).toEqual({ ...expected, './package.json': './package.json' });
    for (const subpath of subpaths) {
      expect(Object.keys(exports[subpath])).toEqual(['import', 'require']);
      for (const condition of ['import', 'require']) expect(Object.keys(exports[subpath][condition])).toEqual(['types', 'default']);
    }
  });

  it('resolve to lib/ for tsc (tsconfig.json `paths`) and for jest (`moduleNameMapper`), by the same names', async () => {
    const { config } = ts.readConfigFile(ROOT + 'tsconfig.json', ts.sys.readFile);
    const jestConfig: { moduleNameMapper: Record<string, string> } = (await import(new URL('../../../jest.config.js', import.meta.url).href)).default;
    const mapper = jestConfig.moduleNameMapper;
    for (const subpath of subpaths) {
      expect(config.compilerOptions.paths[specifier(subpath)]).toEqual([`./${ENTRY_POINTS[subpath]}`]);
      expect(mapper[`^${specifier(subpath)}$`]).toBe(`<rootDir>/${ENTRY_POINTS[subpath]}`);
    }
    expect(Object.keys(config.compilerOptions.paths)).toHaveLength(subpaths.length);
  });
});
