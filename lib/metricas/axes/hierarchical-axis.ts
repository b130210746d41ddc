import { describeValue } from '../../errors/describe-value.js';
import { InvalidAxisValueError } from '../../errors/invalid-axis-value.error.js';
import { InvalidMetricaDefinitionError } from '../../errors/invalid-metrica-definition.error.js';
import { ABSENT_AXIS, Axis } from './axis.js';
import { ALL_TOKEN, pathToken, segmentToken } from './axis-encoding.js';
import type { AxisChoiceNeed, AxisKickParts, AxisKind, AxisPath, AxisRef } from './axis-value.js';

/** Options of {@link HierarchicalAxis}. */
export interface HierarchicalAxisOptions {
  /** The longest path accepted (default 10). */
  readonly maxDepth?: number;
  /**
   * The most distinct children one path may have (bounded cardinality): a kick
   * bringing one more is refused with a `TooManyChoicesError`. Default: unbounded.
   */
  readonly maxChildren?: number;
}

const DEFAULT_MAX_DEPTH = 10;

/**
 * An axis whose values are paths (a category tree, a URL's segments): a kick with
 * `['a', 'b', 'c']` counts under `a`, `a/b` and `a/b/c`, so a filter on any prefix
 * (`filter({ axis: ['a'] })`) totals everything below it. The children of each
 * path are kept in the store, so `iterate(axis)` lists the paths one level under
 * the filtered path (the top level when unfiltered), as full paths.
 *
 * Segments are strings or finite numbers and keep their type (`1` and `'1'` are two
 * segments). `null`, `[]` or leaving the axis out count under "all" only.
 *
 * @publicApi
 * @throws InvalidMetricaDefinitionError when an option is not a positive integer.
 * @example
 * const category = new HierarchicalAxis({ maxChildren: 100 });
 * await metrica.kick({ category: ['books', 'fiction'] });
 */
export class HierarchicalAxis extends Axis<AxisPath | null> {
  readonly maxDepth: number;
  readonly maxChildren: number | undefined;

  constructor(options: HierarchicalAxisOptions = {}) {
    super({ choices: [] });
    this.maxDepth = positiveInteger('maxDepth', options?.maxDepth) ?? DEFAULT_MAX_DEPTH;
    this.maxChildren = positiveInteger('maxChildren', options?.maxChildren);
  }

  override get kind(): AxisKind {
    return 'hierarchical';
  }

  /** @internal */
  override encodeKick(value: unknown, ref: AxisRef): AxisKickParts {
    if (value === undefined || value === null) return ABSENT_AXIS;
    const tokens = this.segmentTokens(value, ref);
    if (tokens.length === 0) return ABSENT_AXIS;
    const parts = [ALL_TOKEN];
    const choices: AxisChoiceNeed[] = [];
    let parent = pathToken([]);
    for (let depth = 1; depth <= tokens.length; depth++) {
      const path = pathToken(tokens.slice(0, depth));
      parts.push(path);
      choices.push({ set: parent, member: tokens[depth - 1], maxChoices: this.maxChildren, value: (value as AxisPath).slice(0, depth) });
      parent = path;
    }
    return { parts, choices };
  }

  /** @internal */
  override encodeFilter(value: unknown, ref: AxisRef): string {
    const tokens = this.segmentTokens(value, ref);
    return tokens.length === 0 ? ALL_TOKEN : pathToken(tokens);
  }

  /** The tokens of a path's segments. @internal */
  segmentTokens(value: unknown, ref: AxisRef): string[] {
    if (!Array.isArray(value) || value.length > this.maxDepth) {
      throw new InvalidAxisValueError(ref.metrica, ref.axis, value, this.describeAllowed());
    }
    return value.map((segment: unknown) => {
      if (typeof segment === 'string' || (typeof segment === 'number' && Number.isFinite(segment))) {
        return segmentToken(segment);
      }
      throw new InvalidAxisValueError(ref.metrica, ref.axis, value, this.describeAllowed());
    });
  }

  /** @internal */
  override describe(): string {
    return JSON.stringify(['hierarchical', this.maxDepth, this.maxChildren ?? null]);
  }

  /** @internal */
  override describeAllowed(): string {
    return `a path: an array of at most ${this.maxDepth} strings or finite numbers, e.g. ['a', 'b'] (or null / left out for none)`;
  }
}

function positiveInteger(option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new InvalidMetricaDefinitionError(
      undefined,
      `HierarchicalAxis \`${option}\` must be a positive integer (or absent), received ${describeValue(value)}.`,
    );
  }
  return value as number;
}
