import { InvalidAxisValueError } from '../../errors/invalid-axis-value.error.js';
import { InvalidMetricaDefinitionError } from '../../errors/invalid-metrica-definition.error.js';
import { describeValue } from '../../errors/describe-value.js';
import { ABSENT_AXIS, Axis } from './axis.js';
import { ALL_TOKEN, escapeText } from './axis-encoding.js';
import type { MemberAffix } from '../../store/souvenirs-store.interface.js';
import type { AxisKickParts, AxisKind, AxisRef } from './axis-value.js';

/** Options of {@link StoredChoiceAxis}. */
export interface StoredChoiceAxisOptions {
  /**
   * The most distinct values the axis may ever hold (bounded cardinality): a kick
   * bringing one more is refused with a `TooManyChoicesError` and not counted.
   * Default: unbounded.
   */
  readonly maxChoices?: number;
}

/**
 * An axis that accepts any value not known beforehand (a page, an age…), as
 * staste's `StoredChoiceAxis`: the values seen are kept in a set in the store, so
 * `iterate(axis)` and `metrica.choices(axis)` list them (sorted) with zeros where a
 * timespan has none.
 *
 * Values are kept as text: `18` and `'18'` are the same value, and keys come back
 * as strings. `null` (like leaving the axis out) counts the event under "all" only.
 *
 * Each new value costs one extra store call the first time this process sees it;
 * known values cost nothing more.
 *
 * @publicApi
 * @throws InvalidMetricaDefinitionError when `maxChoices` is not a positive integer.
 * @example
 * const age = new StoredChoiceAxis({ maxChoices: 200 });
 */
export class StoredChoiceAxis extends Axis<string | number | boolean | null> {
  /** The bound on distinct values, if any. */
  readonly maxChoices: number | undefined;

  constructor(options: StoredChoiceAxisOptions = {}) {
    super({ choices: [] });
    const maxChoices = options?.maxChoices;
    if (maxChoices !== undefined && (!Number.isSafeInteger(maxChoices) || maxChoices < 1)) {
      throw new InvalidMetricaDefinitionError(
        undefined,
        `StoredChoiceAxis \`maxChoices\` must be a positive integer (or absent for no bound), received ${describeValue(maxChoices)}.`,
      );
    }
    this.maxChoices = maxChoices;
  }

  override get kind(): AxisKind {
    return 'stored';
  }

  /** @internal */
  override encodeKick(value: unknown, ref: AxisRef): AxisKickParts {
    if (value === undefined || value === null) return ABSENT_AXIS;
    const member = escapeText(this.textOf(value, ref));
    return {
      parts: [ALL_TOKEN, `s${member}`],
      choices: [{ set: null, member, maxChoices: this.maxChoices, value }],
    };
  }

  /** @internal */
  override encodeFilter(value: unknown, ref: AxisRef): string {
    return `s${escapeText(this.textOf(value, ref))}`;
  }

  /** Where a stored set member goes in its field part (`s` + member). @internal */
  memberTokenAffix(): MemberAffix {
    return { prefix: 's', suffix: '' };
  }

  /** @internal */
  override describe(): string {
    return JSON.stringify(['stored', this.maxChoices ?? null]);
  }

  /** @internal */
  override describeAllowed(): string {
    return 'a string, a finite number or a boolean (kept as text), or null / left out for none';
  }

  private textOf(value: unknown, ref: AxisRef): string {
    if (typeof value === 'string') return value;
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
    throw new InvalidAxisValueError(ref.metrica, ref.axis, value, this.describeAllowed());
  }
}
