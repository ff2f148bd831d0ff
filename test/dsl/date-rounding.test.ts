import { describe, it, expect } from 'vitest';
import { daysBetween, monthsBetween, yearsBetween, yearOf, monthOf, daysPerYear } from '../../dsl/base/dates.js';
import { roundWhole, roundFenTo, prorate, frac } from '../../dsl/base/money.js';

describe('date differences and parts', () => {
  it('counts days across a leap February and a year end', () => {
    expect(daysBetween(20240101, 20240301)).toBe(60);   // 31 + 29
    expect(daysBetween(20231231, 20240101)).toBe(1);
    expect(daysBetween(20240301, 20240101)).toBe(-60);
  });
  it('counts whole months completed, clamping to the month end as adding months does', () => {
    expect(monthsBetween(20240115, 20240314)).toBe(1);
    expect(monthsBetween(20240115, 20240315)).toBe(2);
    expect(monthsBetween(20240131, 20240229)).toBe(1);
    expect(monthsBetween(20240315, 20240115)).toBe(-2);
  });
  it('counts whole years as age does', () => {
    expect(yearsBetween(19440601, 20240601)).toBe(80);
    expect(yearsBetween(19440602, 20240601)).toBe(79);
  });
  it('reads the year and month of a date', () => {
    expect(yearOf(20240915)).toBe(2024);
    expect(monthOf(20240915)).toBe(9);
  });
  it('splits a span at year ends', () => {
    expect(daysPerYear(20231201, 20240201)).toEqual([{ days: 31, of: 365 }, { days: 31, of: 366 }]);
  });
});

describe('rounding with a named rule, proration', () => {
  it('rounds half-up, down and up', () => {
    expect(roundWhole(frac(5, 2), 'half-up')).toBe(3);
    expect(roundWhole(frac(5, 2), 'down')).toBe(2);
    expect(roundWhole(frac(9, 4), 'up')).toBe(3);
    expect(roundWhole(frac(-9, 4), 'up')).toBe(-3);
    expect(roundWhole(frac(-9, 4), 'down')).toBe(-2);
    expect(roundWhole(7, 'up')).toBe(7);
  });
  it('rounds fen to 元, 角 and 分', () => {
    // 333⅓ 元 = 100000/3 fen
    expect(roundFenTo(frac(100000, 3), 100, 'half-up')).toBe(33300);
    expect(roundFenTo(frac(100000, 3), 10, 'up')).toBe(33340);
    expect(roundFenTo(frac(100000, 3), 1, 'down')).toBe(33333);
    expect(roundFenTo(33350, 100, 'half-up')).toBe(33400);
  });
  it('prorates a yearly amount by days, each year over its own length', () => {
    // 3650 元/年 over 2023-12-01..2024-02-01: 365000 × 31/365 + 365000 × 31/366 fen
    expect(prorate(365000, [{ days: 31, of: 365 }, { days: 31, of: 366 }])).toEqual(frac(31000 * 366 + 365000 * 31, 366));
    // 7320 元/年 over the 183 days of 2024-01-01..2024-07-02 is exactly half: 3660 元
    expect(prorate(732000, daysPerYear(20240101, 20240702))).toBe(366000);
  });
});
