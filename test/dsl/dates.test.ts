import { describe, it, expect } from 'vitest';
import { parseDate, ageOn, addMonths, addDays, formatDate } from '../../dsl/base/dates.js';

describe('dates', () => {
  it('refuses days that do not exist', () => {
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDate('2024-02-29')).toBe(20240229);
    expect(parseDate('2024-13-01')).toBeUndefined();
    expect(parseDate('2024-1-01')).toBeUndefined();
  });
  it('counts whole years completed, on the birthday and the day before', () => {
    expect(ageOn(19440601, 20240601)).toBe(80);
    expect(ageOn(19440602, 20240601)).toBe(79);
    // born on 29 February: the year completes on 1 March in a common year
    expect(ageOn(20000229, 20010228)).toBe(0);
    expect(ageOn(20000229, 20010301)).toBe(1);
    // on the birth date, and a birth date after the day (floored: −1, not 0, as whole years go);
    // the extremes of four-digit years
    expect(ageOn(20240601, 20240601)).toBe(0);
    expect(ageOn(20240602, 20240601)).toBe(-1);
    expect(ageOn(20250601, 20240601)).toBe(-1);
    expect(ageOn(20250602, 20240601)).toBe(-2);
    expect(ageOn(10101, 99991231)).toBe(9998);
    expect(ageOn(99991231, 10101)).toBe(-9999);
  });
  it('adds months clamping to the end of the month, and days across years', () => {
    expect(formatDate(addMonths(20240115, 12))).toBe('2025-01-15');
    expect(formatDate(addMonths(20240131, 1))).toBe('2024-02-29');
    expect(formatDate(addDays(20241231, 1))).toBe('2025-01-01');
  });
});
