import { describe, expect, it } from 'vitest';
import { parseTimeMs } from './parse-time.js';

describe('parseTimeMs', () => {
  it.each([
    ['epoch ms as a number', 984182400000, 984182400000],
    ['epoch ms as digits', '984182400000', 984182400000],
    ['a day is midnight UTC', '2001-03-10', Date.UTC(2001, 2, 10)],
    ['a zoned time', '2001-03-10T06:00:00Z', Date.UTC(2001, 2, 10, 6)],
    ['an offset', '2001-03-10T06:00:00+02:00', Date.UTC(2001, 2, 10, 4)],
    ['no zone is UTC', '2001-03-10T06:30', Date.UTC(2001, 2, 10, 6, 30)],
    ['a space instead of T', '2001-03-10 06:30:15.5', Date.UTC(2001, 2, 10, 6, 30, 15, 500)],
  ])('reads %s', (_name, input, expected) => {
    expect(parseTimeMs(input)).toBe(expected);
  });

  it.each([['yesterday'], ['2001-3-10'], ['10/03/2001'], [''], ['2001-13-45'], [Number.NaN], [Infinity]])(
    'gives NaN for %s',
    (input) => {
      expect(parseTimeMs(input)).toBeNaN();
    },
  );
});
