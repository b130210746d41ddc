import { DateTime } from 'luxon';
import type { Scale } from '../metricas/definition/metrica-definition.interface.js';

/**
 * Whether each bucket of a time series still holds now, so its number is not final:
 * a bucket ends where the next starts, the last one scale later (in `timeZone`: a
 * local day is 23 or 25 hours on a DST change). Charts draw those dashed and the
 * JSON says `inProgress`, so a two-day-old week does not read as a final week.
 * @internal
 */
export function bucketsInProgress(starts: readonly Date[], scale: Scale | undefined, timeZone: string, now: Date): boolean[] {
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : scale === undefined ? undefined : lastBucketEnd(start, scale, timeZone);
    return start <= now && (end === undefined || now < end);
  });
}

/** Whether `[start, end)` holds `now`. @internal */
export function spanInProgress(start: Date, end: Date, now: Date): boolean {
  return start <= now && now < end;
}

function lastBucketEnd(start: Date, scale: Scale, timeZone: string): Date {
  return DateTime.fromJSDate(start, { zone: timeZone }).plus({ [`${scale}s`]: 1 }).toJSDate();
}
