/** A value of a plain or stored-choice axis. */
export type AxisScalar = string | number | boolean | null;

/** A value of a `HierarchicalAxis`: a path such as `['europe', 'france', 'paris']`. */
export type AxisPath = readonly (string | number)[];

/**
 * A value an axis can take in a kick or a filter: a scalar, or a path for a
 * `HierarchicalAxis`.
 *
 * @publicApi
 */
export type AxisValue = AxisScalar | AxisPath;

/** What kind of axis this is, for code that handles all kinds (the dashboard). */
export type AxisKind = 'choices' | 'stored' | 'hierarchical';

/** Names a metrica's axis in error messages. @internal */
export interface AxisRef {
  readonly metrica: string;
  readonly axis: string;
}

/**
 * A value to add to a stored set before a kick counts: a `StoredChoiceAxis`'s
 * value, or a `HierarchicalAxis` path's child.
 *
 * @internal
 */
export interface AxisChoiceNeed {
  /** `null`: the axis's own set of values; else the parent path's token (children set). */
  readonly set: string | null;
  /** The set member (escaped text, or a segment token). */
  readonly member: string;
  /** The most members that set may hold. */
  readonly maxChoices: number | undefined;
  /** The value as kicked, for error messages. */
  readonly value: unknown;
}

/** What one axis contributes to a kick. @internal */
export interface AxisKickParts {
  /** The field parts it is counted under: `*` (all) first, then its value's tokens. */
  readonly parts: readonly string[];
  /** Set members to store first (stored and hierarchical axes). */
  readonly choices: readonly AxisChoiceNeed[];
}
