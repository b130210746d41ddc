import type { AxisValue } from './axis-value.js';

/**
 * How axis values become parts of counter field names, so that no two different
 * combinations ever share a counter.
 *
 * A field is one part per axis, in axis order, joined by `:`. Each part is either
 * `*` (all values of that axis) or a token that starts with its value's type:
 *
 * | value                         | token                                      |
 * |-------------------------------|--------------------------------------------|
 * | string `t`                    | `s` + escape(t)  (`''` → `s`)              |
 * | number `n`                    | `n` + String(n)  (`18` → `n18`)            |
 * | `true` / `false`              | `t` / `f`                                  |
 * | `null`                        | `z`                                        |
 * | path `[a, b]` (hierarchical)  | `p` + token(a) + `/` + token(b)            |
 *
 * escape() writes `%` as `%25`, `:` as `%3A`, `/` as `%2F` and a lone UTF-16
 * surrogate as `%uXXXX` (Redis stores UTF-8, where lone surrogates would all turn
 * into U+FFFD and collide). So a token never contains a bare `:` or `/`, the split
 * back into parts is unambiguous, `*` can only mean "all" (every token starts with
 * a letter), and `18`, `'18'`, `true`, `'true'`, `null`, `'null'`, `''` and
 * `'__all__'` are all distinct.
 *
 * @internal
 */

/** The part of a field meaning "every value of this axis". @internal */
export const ALL_TOKEN = '*';

/** Joins the per-axis parts of a field. @internal */
export const PART_SEPARATOR = ':';

/** The field of a metrica without axes. @internal */
export const NO_AXES_FIELD = ALL_TOKEN;

const ESCAPABLE = /[%:/]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPED = /%(25|3A|2F|u[0-9A-F]{4})/g;

/** Escapes `text` so it holds no `%`, `:`, `/` or lone surrogate. @internal */
export function escapeText(text: string): string {
  return text.replace(ESCAPABLE, (char) => {
    if (char === '%') return '%25';
    if (char === ':') return '%3A';
    if (char === '/') return '%2F';
    return `%u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** The inverse of {@link escapeText}. @internal */
export function unescapeText(escaped: string): string {
  return escaped.replace(ESCAPED, (_match, code: string) => {
    if (code === '25') return '%';
    if (code === '3A') return ':';
    if (code === '2F') return '/';
    return String.fromCharCode(Number.parseInt(code.slice(1), 16));
  });
}

/** The token of a scalar axis value. @internal */
export function scalarToken(value: string | number | boolean | null): string {
  if (value === null) return 'z';
  switch (typeof value) {
    case 'string':
      return `s${escapeText(value)}`;
    case 'number':
      return `n${String(value)}`;
    default:
      return value ? 't' : 'f';
  }
}

/** The token of one segment of a hierarchical path. @internal */
export function segmentToken(segment: string | number): string {
  return typeof segment === 'number' ? `n${String(segment)}` : `s${escapeText(segment)}`;
}

/** The segment a {@link segmentToken} stands for. @internal */
export function decodeSegment(token: string): string | number | undefined {
  if (token.startsWith('n')) {
    const number = Number(token.slice(1));
    return token.length > 1 && Number.isFinite(number) ? number : undefined;
  }
  return token.startsWith('s') ? unescapeText(token.slice(1)) : undefined;
}

/** The token of a hierarchical path from its segments' tokens (`p` alone is the root). @internal */
export function pathToken(segmentTokens: readonly string[]): string {
  return `p${segmentTokens.join('/')}`;
}

/**
 * Where a child's segment token goes in the token of its path under the path of
 * `parentTokens`: `pathToken([...parentTokens, child])` is prefix + child + suffix.
 *
 * @internal
 */
export function childPathTokenAffix(parentTokens: readonly string[]): { prefix: string; suffix: string } {
  return { prefix: parentTokens.length === 0 ? pathToken([]) : `${pathToken(parentTokens)}/`, suffix: '' };
}

/**
 * Every field of a kick: the cartesian product of each axis's parts, joined by
 * {@link PART_SEPARATOR}.
 *
 * @internal
 */
export function fieldProduct(partsPerAxis: readonly (readonly string[])[]): string[] {
  if (partsPerAxis.length === 0) return [NO_AXES_FIELD];
  let fields: string[] = [...partsPerAxis[0]];
  for (let axis = 1; axis < partsPerAxis.length; axis++) {
    const parts = partsPerAxis[axis];
    const next: string[] = new Array(fields.length * parts.length);
    let at = 0;
    for (const field of fields) {
      for (const part of parts) next[at++] = field + PART_SEPARATOR + part;
    }
    fields = next;
  }
  return fields;
}

/** A field's per-axis parts, in axis order (the inverse of {@link fieldProduct}'s joining). @internal */
export function splitField(field: string): string[] {
  return field.split(PART_SEPARATOR);
}

/**
 * The axis value a token stands for: a scalar, or a hierarchical path as its
 * segments; `undefined` for {@link ALL_TOKEN} or a token this encoding never writes.
 *
 * @internal
 */
export function decodeToken(token: string): AxisValue | undefined {
  switch (token[0]) {
    case 's':
      return unescapeText(token.slice(1));
    case 'n': {
      const number = Number(token.slice(1));
      return token.length > 1 && Number.isFinite(number) ? number : undefined;
    }
    case 't':
      return token.length === 1 ? true : undefined;
    case 'f':
      return token.length === 1 ? false : undefined;
    case 'z':
      return token.length === 1 ? null : undefined;
    case 'p': {
      if (token.length === 1) return [];
      const segments = token.slice(1).split('/').map(decodeSegment);
      return segments.every((segment) => segment !== undefined) ? (segments as Array<string | number>) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The token a kick also counts under when it counts under `token`: "all" for a
 * value, the parent path for a hierarchical path (a top-level path's is "all");
 * `undefined` for "all" itself. Counters of a token minus those of its children
 * are the events kicked with exactly that value.
 *
 * @internal
 */
export function parentToken(token: string): string | undefined {
  if (token === ALL_TOKEN) return undefined;
  if (token[0] !== 'p') return ALL_TOKEN;
  const slash = token.lastIndexOf('/');
  return slash === -1 ? ALL_TOKEN : token.slice(0, slash);
}

/**
 * Whether an event kicked with exactly the value of `exact` also counts under
 * `token`: "all" covers every value, a value itself, a hierarchical path every
 * path below it (a token holds no bare `/` but a path's separators).
 *
 * @internal
 */
export function tokenCovers(token: string, exact: string): boolean {
  return token === ALL_TOKEN || token === exact || (token[0] === 'p' && exact.length > token.length && exact.startsWith(token) && exact[token.length] === '/');
}
