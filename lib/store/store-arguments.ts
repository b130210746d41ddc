import { InvalidStoreArgumentError } from '../errors/invalid-store-argument.error.js';
import type {
  CounterCell,
  CounterIncrements,
  CounterTemplate,
  MemberAffix,
  RateLimitClaim,
} from './souvenirs-store.interface.js';

/**
 * Argument checks and normalisation shared by every built-in store, so the memory
 * and Redis stores accept and reject exactly the same inputs; exported from
 * `nestjs-souvenirs/store` so a third-party store does too.
 */

/**
 * One key's increments as a store writes them: its fields (the caller's own map,
 * not copied) and its expiry in milliseconds.
 *
 * @publicApi
 */
export interface KeyWrite {
  readonly key: string;
  /** Field → increment, as the caller gave them. */
  readonly fields: ReadonlyMap<string, number>;
  /** Expiry after this write in milliseconds; `null`: forever. */
  readonly ttlMs: number | null;
}

/** Throws unless `value` is a string. @publicApi */
export function checkString(method: string, argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new InvalidStoreArgumentError(method, argument, 'a string', value);
}

/** Throws unless `flushId` is absent or a non-empty string. @publicApi */
export function checkFlushId(flushId: unknown): asserts flushId is string | undefined {
  if (flushId === undefined || (typeof flushId === 'string' && flushId !== '')) return;
  throw new InvalidStoreArgumentError('incrementCounters', 'flushId', 'a non-empty string, or absent', flushId);
}

/** Throws unless `value` is a safe integer, at least `min` when given. @publicApi */
export function checkInteger(method: string, argument: string, value: unknown, min?: number): asserts value is number {
  if (!Number.isSafeInteger(value) || (min !== undefined && (value as number) < min)) {
    const expected = min === undefined ? 'a safe integer' : `a safe integer >= ${min}`;
    throw new InvalidStoreArgumentError(method, argument, expected, value);
  }
}

/** Checks the arguments of `claimRateLimit`. @publicApi */
export function checkClaimArguments(subject: unknown, whenMs: unknown, limitMs: unknown): void {
  checkString('claimRateLimit', 'subject', subject);
  checkInteger('claimRateLimit', 'whenMs', whenMs);
  checkInteger('claimRateLimit', 'limitMs', limitMs, 1);
}

/** Checks a claim handed back to `releaseRateLimit`. @publicApi */
export function checkReleasedClaim(claim: RateLimitClaim): void {
  if (typeof claim !== 'object' || claim === null) {
    throw new InvalidStoreArgumentError('releaseRateLimit', 'claim', 'a claim returned by claimRateLimit', claim);
  }
  checkString('releaseRateLimit', 'claim.subject', claim.subject);
  checkInteger('releaseRateLimit', 'claim.whenMs', claim.whenMs);
  checkInteger('releaseRateLimit', 'claim.limitMs', claim.limitMs, 1);
  if (claim.previousMs !== null) checkInteger('releaseRateLimit', 'claim.previousMs', claim.previousMs);
}

/**
 * Checks the increments of `incrementCounters` and lists the keys to write, in the
 * map's order, with their expiry in milliseconds. Nothing is summed or regrouped:
 * the map already holds each cell once. Keys without fields are left out (there is
 * nothing to write to them).
 *
 * @publicApi
 * @throws InvalidStoreArgumentError before anything is written.
 */
export function checkIncrements(increments: CounterIncrements): KeyWrite[] {
  const method = 'incrementCounters';
  if (!isMap(increments)) {
    throw new InvalidStoreArgumentError(method, 'increments', 'a Map of key → { fields, ttlSeconds? }', increments);
  }
  const writes: KeyWrite[] = [];
  for (const [key, write] of increments) {
    checkString(method, 'a key of increments', key);
    const at = `increments[${JSON.stringify(key)}]`;
    if (typeof write !== 'object' || write === null || !isMap(write.fields)) {
      throw new InvalidStoreArgumentError(method, at, 'an object { fields: Map of field → integer, ttlSeconds? }', write);
    }
    const { fields } = write;
    for (const [field, by] of fields) {
      // Checked per cell of every write: the argument's name is only built for the error.
      if (typeof field !== 'string') checkString(method, `a field of ${at}.fields`, field);
      // Redis holds 64-bit counters, but an amount JavaScript cannot represent
      // exactly would be written wrong, so it is refused.
      if (!Number.isSafeInteger(by)) checkInteger(method, `${at}.fields[${JSON.stringify(field)}]`, by);
    }
    const ttlMs = toTtlMs(at, write.ttlSeconds);
    if (fields.size > 0) writes.push({ key, fields, ttlMs });
  }
  return writes;
}

/** A `Map` (or subclass), from this realm or another. */
function isMap(value: unknown): value is ReadonlyMap<unknown, unknown> {
  return value instanceof Map || Object.prototype.toString.call(value) === '[object Map]';
}

function toTtlMs(at: string, ttlSeconds: unknown): number | null {
  if (ttlSeconds === undefined) return null;
  // Redis expiries are whole milliseconds; both stores round the same way.
  const ttlMs = typeof ttlSeconds === 'number' ? Math.round(ttlSeconds * 1000) : Number.NaN;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new InvalidStoreArgumentError(
      'incrementCounters',
      `${at}.ttlSeconds`,
      'a finite number of seconds >= 0.001, or absent',
      ttlSeconds,
    );
  }
  return ttlMs;
}

/** Checks the cells given to `readCounters`. @publicApi */
export function checkCells(cells: readonly CounterCell[]): void {
  if (!Array.isArray(cells)) {
    throw new InvalidStoreArgumentError('readCounters', 'cells', 'an array of { key, field }', cells);
  }
  cells.forEach((cell, index) => {
    if (typeof cell !== 'object' || cell === null) {
      throw new InvalidStoreArgumentError('readCounters', `cells[${index}]`, 'an object { key, field }', cell);
    }
    checkString('readCounters', `cells[${index}].key`, cell.key);
    checkString('readCounters', `cells[${index}].field`, cell.field);
  });
}

/**
 * Checks the arguments of `addChoices` and returns the values without duplicates,
 * so a value given twice is not counted twice against `maxChoices`.
 *
 * @publicApi
 */
export function checkChoices(key: unknown, values: readonly string[], maxChoices: unknown): string[] {
  checkString('addChoices', 'key', key);
  if (!Array.isArray(values)) {
    throw new InvalidStoreArgumentError('addChoices', 'values', 'an array of strings', values);
  }
  values.forEach((value, index) => checkString('addChoices', `values[${index}]`, value));
  if (maxChoices !== undefined) checkInteger('addChoices', 'maxChoices', maxChoices, 0);
  return [...new Set(values)];
}

/**
 * Checks the arguments of `readCountersOfMembers`: a string set key, and templates
 * whose key and field are each a string or a `{ prefix, suffix }` of strings.
 *
 * @publicApi
 */
export function checkTemplates(setKey: unknown, templates: readonly CounterTemplate[]): void {
  const method = 'readCountersOfMembers';
  checkString(method, 'setKey', setKey);
  if (!Array.isArray(templates)) {
    throw new InvalidStoreArgumentError(method, 'templates', 'an array of { key, field }', templates);
  }
  templates.forEach((template, index) => {
    if (typeof template !== 'object' || template === null) {
      throw new InvalidStoreArgumentError(method, `templates[${index}]`, 'an object { key, field }', template);
    }
    checkTemplatePart(`templates[${index}].key`, template.key);
    checkTemplatePart(`templates[${index}].field`, template.field);
  });
}

function checkTemplatePart(at: string, part: unknown): asserts part is string | MemberAffix {
  if (typeof part === 'string') return;
  const affix = part as Partial<MemberAffix> | null;
  if (typeof affix !== 'object' || affix === null || typeof affix.prefix !== 'string' || typeof affix.suffix !== 'string') {
    throw new InvalidStoreArgumentError('readCountersOfMembers', at, 'a string or { prefix: string, suffix: string }', part);
  }
}

/** The text a template part gives for `member`. @publicApi */
export function applyTemplatePart(part: string | MemberAffix, member: string): string {
  return typeof part === 'string' ? part : part.prefix + member + part.suffix;
}

/** Checks the arguments of `acquireLock` (and the name and token of `releaseLock`). @publicApi */
export function checkLockArguments(method: 'acquireLock' | 'releaseLock', name: unknown, ttlOrToken: unknown): void {
  if (typeof name !== 'string' || name === '') throw new InvalidStoreArgumentError(method, 'name', 'a non-empty string', name);
  if (method === 'acquireLock') checkInteger(method, 'ttlMs', ttlOrToken, 1);
  else checkString(method, 'token', ttlOrToken);
}

/** Checks the arguments of `raiseMark` (and the name of `readMark`). @publicApi */
export function checkMarkArguments(method: 'raiseMark' | 'readMark', name: unknown, value?: unknown): void {
  if (typeof name !== 'string' || name === '') throw new InvalidStoreArgumentError(method, 'name', 'a non-empty string', name);
  if (method === 'raiseMark' && !Number.isSafeInteger(value)) throw new InvalidStoreArgumentError(method, 'value', 'a safe integer', value);
}

/** Checks the subjects of `forgetRateLimits`. @publicApi */
export function checkSubjects(subjects: readonly unknown[]): void {
  if (!Array.isArray(subjects)) throw new InvalidStoreArgumentError('forgetRateLimits', 'subjects', 'an array of strings', subjects);
  for (const subject of subjects) checkString('forgetRateLimits', 'subjects', subject);
}
