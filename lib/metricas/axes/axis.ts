import { describeValue } from '../../errors/describe-value.js';
import { InvalidAxisValueError } from '../../errors/invalid-axis-value.error.js';
import { InvalidMetricaDefinitionError } from '../../errors/invalid-metrica-definition.error.js';
import { ALL_TOKEN, scalarToken } from './axis-encoding.js';
import type { AxisKickParts, AxisKind, AxisRef, AxisScalar, AxisValue } from './axis-value.js';

/** Options of {@link Axis}. */
export interface AxisOptions<V> {
  /** Every value the axis accepts, in the order `iterate()` lists them. */
  readonly choices: readonly V[];
}

/** The parts of a kick that leaves an axis out: counted under "all" only. @internal */
export const ABSENT_AXIS: AxisKickParts = Object.freeze({ parts: Object.freeze([ALL_TOKEN]), choices: Object.freeze([]) });

/**
 * An axis with a fixed set of values, known beforehand (staste's `Axis`):
 * `new Axis({ choices: ['boy', 'girl'] })`. A kick or filter with any other value
 * is refused with an `InvalidAxisValueError`. Choices are strings, finite numbers,
 * booleans or `null`, and stay distinct by type (`18` and `'18'` are two choices).
 *
 * It is also the base class of {@link StoredChoiceAxis} and {@link HierarchicalAxis},
 * so `Record<string, Axis>` holds any axis. `V` is the type of its values, inferred
 * from `choices`.
 *
 * A kick may leave an axis out (`undefined`): the event is then counted under
 * "all values" of that axis only.
 *
 * @publicApi
 * @throws InvalidMetricaDefinitionError when `choices` is empty, holds duplicates
 *   or anything but strings, finite numbers, booleans and `null`.
 * @example
 * const gender = new Axis({ choices: ['boy', 'girl'] }); // Axis<'boy' | 'girl'>
 */
export class Axis<const V extends AxisValue = AxisValue> {
  /** Carries `V` for the type checker only; never set. */
  declare readonly __axisValue?: V;

  /** The accepted values, in order (empty for stored and hierarchical axes, whose values live in the store). */
  readonly choices: readonly V[];

  /** Each choice's kick parts, computed once: a kick is then one map lookup. */
  private readonly partsByChoice = new Map<unknown, AxisKickParts>();

  constructor(options: AxisOptions<V>) {
    const choices: unknown = (options as AxisOptions<V> | undefined)?.choices;
    if (this.kind !== 'choices') {
      this.choices = Object.freeze([]) as readonly V[];
      return;
    }
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new InvalidMetricaDefinitionError(
        undefined,
        `an Axis needs \`choices\`, a non-empty array of values, received ${describeValue(choices)}; use a StoredChoiceAxis for values not known beforehand.`,
      );
    }
    for (const choice of choices) {
      if (!isScalar(choice)) {
        throw new InvalidMetricaDefinitionError(
          undefined,
          `Axis choice ${describeValue(choice)} is not allowed: choices are strings, finite numbers, booleans or null.`,
        );
      }
      if (this.partsByChoice.has(choice)) {
        throw new InvalidMetricaDefinitionError(undefined, `Axis choice ${describeValue(choice)} is listed twice.`);
      }
      this.partsByChoice.set(choice, Object.freeze({ parts: Object.freeze([ALL_TOKEN, scalarToken(choice)]), choices: ABSENT_AXIS.choices }));
    }
    this.choices = Object.freeze([...choices]) as readonly V[];
  }

  /** What kind of axis this is. */
  get kind(): AxisKind {
    return 'choices';
  }

  /**
   * The field parts a kicked value counts under.
   *
   * @internal
   * @throws InvalidAxisValueError when the value is not accepted.
   */
  encodeKick(value: unknown, ref: AxisRef): AxisKickParts {
    if (value === undefined) return ABSENT_AXIS;
    const parts = this.partsByChoice.get(value);
    if (!parts) throw new InvalidAxisValueError(ref.metrica, ref.axis, value, this.describeAllowed());
    return parts;
  }

  /**
   * The field part selecting `value` in a query (`value` is neither null nor undefined).
   *
   * @internal
   * @throws InvalidAxisValueError when the value is not accepted.
   */
  encodeFilter(value: unknown, ref: AxisRef): string {
    return this.encodeKick(value, ref).parts[1];
  }

  /** The field part of one of {@link choices}. @internal */
  choiceToken(choice: V): string {
    return this.partsByChoice.get(choice)!.parts[1];
  }

  /** A canonical description, equal for two axes that count the same way. @internal */
  describe(): string {
    return JSON.stringify(['choices', this.choices.map((choice) => scalarToken(choice as AxisScalar))]);
  }

  /** What the axis accepts, in words, for error messages. @internal */
  describeAllowed(): string {
    return `its choices ${this.choices.map((choice) => describeValue(choice)).join(', ')} (or leave the axis out)`;
  }
}

/** Whether `value` is a scalar an axis can hold (numbers must be finite). @internal */
export function isScalar(value: unknown): value is AxisScalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
