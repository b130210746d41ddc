import { describeValue } from '../../errors/describe-value.js';
import { InvalidMetricaDefinitionError } from '../../errors/invalid-metrica-definition.error.js';
import { Axis } from '../axes/axis.js';
import { hasLoneSurrogate } from '../../shared/well-formed-text.js';
import { resolveHistogram, type ResolvedHistogram } from './histogram-buckets.js';
import { prometheusLabelName } from './prometheus-family.js';
import type { AxisMap, MetricaDefinition, Scale } from './metrica-definition.interface.js';

/** Every date scale, coarsest first. @internal */
export const SCALES: readonly Scale[] = Object.freeze(['year', 'month', 'day', 'hour', 'minute']);

const DAY = 24 * 60 * 60;

/**
 * Default lifetimes of date buckets after their last write, in seconds (staste's):
 * months 3 years, days 185 days, hours 14 days, minutes 1 day; years forever.
 */
export const DEFAULT_METRICA_EXPIRATIONS: Readonly<Partial<Record<Scale, number>>> = Object.freeze({
  month: 3 * 365 * DAY,
  day: 185 * DAY,
  hour: 14 * DAY,
  minute: DAY,
});

const NAME = /^[\p{L}\p{N}_.:/-]{1,200}$/u;
const KNOWN_KEYS = new Set(['name', 'axes', 'averaged', 'multiplier', 'scales', 'expirations', 'histogram']);

/**
 * A metrica definition once checked, with every default filled in.
 *
 * @internal
 */
export interface ResolvedMetricaDefinition {
  readonly name: string;
  /** The axes as given (same object shape, frozen). */
  readonly axisMap: Readonly<AxisMap>;
  /** The axes in order. */
  readonly axes: ReadonlyArray<readonly [string, Axis]>;
  readonly axisIndex: ReadonlyMap<string, number>;
  readonly averaged: boolean;
  readonly multiplier: number;
  /** Kept scales, coarsest first. */
  readonly scales: readonly Scale[];
  readonly kept: ReadonlySet<Scale>;
  /** Seconds each kept scale's buckets live; absent: forever. */
  readonly ttls: Readonly<Partial<Record<Scale, number>>>;
  /** The histogram's ascending upper bounds; absent: no histogram. */
  readonly histogram: readonly number[] | undefined;
  /**
   * The date scales histogram cells are kept at (all-time always), coarsest first;
   * a kept scale not among them is summed from the next finer one that is. Empty
   * without a histogram.
   */
  readonly histogramScales: ReadonlySet<Scale>;
  /** Equal for two definitions that count the same way. */
  readonly signature: string;
}

/**
 * Checks a definition and fills in its defaults.
 *
 * @internal
 * @throws InvalidMetricaDefinitionError naming what is wrong and what is allowed.
 */
export function resolveMetricaDefinition(definition: MetricaDefinition): ResolvedMetricaDefinition {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidMetricaDefinitionError(undefined, `a metrica definition is an object { name, axes?, … }, received ${describeValue(definition)}.`);
  }
  const { name } = definition;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidMetricaDefinitionError(
      typeof name === 'string' ? name : undefined,
      `the name must be 1-200 letters, digits or _ . - : / (it is part of store keys), received ${describeValue(name)}.`,
    );
  }
  const fail: (problem: string) => never = (problem) => {
    throw new InvalidMetricaDefinitionError(name, problem);
  };
  for (const key of Object.keys(definition)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown property \`${key}\`; allowed are ${[...KNOWN_KEYS].join(', ')}.`);
  }

  const axisMap = definition.axes ?? {};
  if (typeof axisMap !== 'object' || axisMap === null || Array.isArray(axisMap)) {
    fail(`\`axes\` must be an object of named axes, e.g. { gender: new Axis({ choices: ['boy', 'girl'] }) }, received ${describeValue(axisMap)}.`);
  }
  const axes = Object.entries(axisMap);
  for (const [axisName, axis] of axes) {
    if (axisName === '') fail('an axis name must not be empty.');
    if (hasLoneSurrogate(axisName)) fail(`axis ${JSON.stringify(axisName)} has a lone surrogate, which UTF-8 (Redis, Prometheus) cannot hold; name it with whole characters.`);
    if (!(axis instanceof Axis)) {
      fail(`axis \`${axisName}\` must be an Axis, StoredChoiceAxis or HierarchicalAxis, received ${describeValue(axis)}.`);
    }
  }
  refuseAxisCollisions(axes.map(([axisName]) => axisName), fail);

  const averaged = definition.averaged ?? false;
  if (typeof averaged !== 'boolean') fail(`\`averaged\` must be a boolean, received ${describeValue(averaged)}.`);

  const multiplier = definition.multiplier ?? 1;
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier <= 0) {
    fail(`\`multiplier\` must be a finite number > 0, received ${describeValue(multiplier)}.`);
  }

  const givenScales: unknown = definition.scales ?? SCALES;
  if (!Array.isArray(givenScales)) fail(`\`scales\` must be an array of ${SCALES.join(', ')}, received ${describeValue(givenScales)}.`);
  const kept = new Set<Scale>();
  for (const scale of givenScales as unknown[]) {
    if (!SCALES.includes(scale as Scale)) fail(`unknown scale ${describeValue(scale)} in \`scales\`; scales are ${SCALES.join(', ')}.`);
    if (kept.has(scale as Scale)) fail(`scale ${describeValue(scale)} is listed twice in \`scales\`.`);
    kept.add(scale as Scale);
  }
  const scales = SCALES.filter((scale) => kept.has(scale));

  const expirations: unknown = definition.expirations ?? {};
  if (typeof expirations !== 'object' || expirations === null || Array.isArray(expirations)) {
    fail(`\`expirations\` must be an object such as { minute: 3600 }, received ${describeValue(expirations)}.`);
  }
  const ttls: Partial<Record<Scale, number>> = {};
  for (const scale of scales) {
    if (DEFAULT_METRICA_EXPIRATIONS[scale] !== undefined) ttls[scale] = DEFAULT_METRICA_EXPIRATIONS[scale];
  }
  for (const [scale, seconds] of Object.entries(expirations as Record<string, unknown>)) {
    if (!SCALES.includes(scale as Scale)) fail(`unknown scale \`${scale}\` in \`expirations\`; scales are ${SCALES.join(', ')}.`);
    if (!Number.isSafeInteger(seconds) || (seconds as number) < 0) {
      fail(`\`expirations.${scale}\` must be whole seconds >= 0 (0 keeps that scale forever), received ${describeValue(seconds)}.`);
    }
    if (seconds === 0) delete ttls[scale as Scale];
    else if (kept.has(scale as Scale)) ttls[scale as Scale] = seconds as number;
  }

  let histogram: readonly number[] | undefined;
  let histogramScales: readonly Scale[] = [];
  if (definition.histogram !== undefined) {
    const resolved = resolveHistogram(definition.histogram, scales);
    if ('problem' in resolved) fail(resolved.problem);
    ({ bounds: histogram, scales: histogramScales } = resolved as ResolvedHistogram);
  }

  const signature = JSON.stringify({
    axes: axes.map(([axisName, axis]) => [axisName, axis.describe()]),
    averaged,
    multiplier,
    scales,
    ttls: scales.map((scale) => ttls[scale] ?? null),
    ...(histogram ? { histogram, histogramScales } : {}),
  });
  return Object.freeze({
    name,
    axisMap: Object.freeze({ ...axisMap }),
    axes: Object.freeze(axes.map((entry) => Object.freeze(entry) as readonly [string, Axis])),
    axisIndex: new Map(axes.map(([axisName], index) => [axisName, index])),
    averaged,
    multiplier,
    scales: Object.freeze(scales),
    kept,
    ttls: Object.freeze(ttls),
    histogram,
    histogramScales: new Set(histogramScales),
    signature,
  });
}

/**
 * One name, one label: two axes whose names are one name in another Unicode form
 * (`café` composed and decomposed), or that give one Prometheus label name once
 * sanitised (`a-b` and `a_b`; `le` and `axis_le`), are refused, naming both.
 */
function refuseAxisCollisions(names: readonly string[], fail: (problem: string) => never): void {
  const byForm = new Map<string, string>();
  const byLabel = new Map<string, string>();
  for (const name of names) {
    const form = name.normalize('NFC');
    const sameForm = byForm.get(form);
    if (sameForm !== undefined) fail(`axes ${JSON.stringify(sameForm)} and ${JSON.stringify(name)} are one name in two Unicode forms (NFC equal); keep one.`);
    byForm.set(form, name);
    const label = prometheusLabelName(name);
    const sameLabel = byLabel.get(label);
    if (sameLabel !== undefined) {
      fail(`axes ${JSON.stringify(sameLabel)} and ${JSON.stringify(name)} would both be the Prometheus label \`${label}\` (names are sanitised to [a-zA-Z0-9_]); rename one.`);
    }
    byLabel.set(label, name);
  }
}
