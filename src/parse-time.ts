/**
 * The one reader of times that people type (CLI options, query parameters, request bodies): epoch
 * milliseconds (a number, or a string of digits), a day `YYYY-MM-DD` (midnight UTC), or an ISO 8601
 * date-time (`2001-03-10T06:00Z`, `2001-03-10T06:00:00+02:00`; without a zone it is read as UTC, so
 * an answer never depends on the machine's time zone). Event timestamps are stricter
 * (`parseTimestamp` in src/ingest/validate.ts: a zone is required).
 */

const day = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const zoned = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch milliseconds of `value` (see the module comment); NaN when it is not a time. */
export function parseTimeMs(value: string | number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (day.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (!dateTime.test(text)) return Number.NaN;
  const iso = text.replace(' ', 'T');
  return Date.parse(zoned.test(iso) ? iso : `${iso}Z`);
}

/** What {@link parseTimeMs} accepts, for error messages. */
export const timeExpected = 'YYYY-MM-DD, an ISO 8601 time or epoch milliseconds';
