// The forms' pure pieces: money typed with full-width digits or thousand separators, the household
// fields kept for the paths a policy reads (x-reads), and outputs formatted for officers.
import { describe, expect, it } from 'vitest';
import { householdFields, normalizeMoney } from '../../studio/src/household/schemaForm';
import { formatOutput, moneyText } from '../../studio/src/scenarios/formatValue';

describe('money typed by an officer', () => {
  it('takes full-width digits and point, and thousand separators, as the exact decimal text', () => {
    expect(normalizeMoney('１２３．４５')).toBe('123.45');
    expect(normalizeMoney('１，２３４．５')).toBe('1234.5');
    expect(normalizeMoney('1,234,567.89')).toBe('1234567.89');
    expect(normalizeMoney(' 650 ')).toBe('650');
    expect(normalizeMoney('0.1')).toBe('0.1');
  });
  it('leaves anything else as typed, for the validation to name', () => {
    expect(normalizeMoney('12abc')).toBe('12abc');
    expect(normalizeMoney('-5')).toBe('-5');
  });
});

describe('the household fields a policy reads', () => {
  const schema = {
    type: 'object', required: ['id', 'members'],
    properties: {
      id: { type: 'string' },
      area: { type: 'string', enum: ['urban', 'rural'] },
      county: { type: 'string' },
      dibao: { type: 'object', properties: { enrolled: { type: 'boolean' }, monthly_amount: { type: 'string' } } },
      members: { type: 'array', items: { type: 'object', required: ['id', 'birth_date'], properties: {
        id: { type: 'string' }, birth_date: { type: 'string', format: 'date' }, orphan: { type: 'boolean' },
        income_monthly: { oneOf: [{ type: 'number' }, { type: 'string' }], 'x-money': 'month' },
      } } },
    },
  };
  const names = (fs: ReturnType<typeof householdFields>): string => fs.map((f) => f.kind === 'list' || f.kind === 'object' ? `${f.name}(${names(f.fields)})` : f.name).join(' ');

  it('keeps the read fields, the objects that hold them and the required ones', () => {
    const fields = householdFields({ ...schema, 'x-reads': ['household.area', 'household.dibao.enrolled', 'members[].income_monthly'] });
    expect(names(fields)).toBe('id area dibao(enrolled) members(id birth_date income_monthly)');
    expect(fields.find((f) => f.name === 'members')!.fields.find((f) => f.name === 'income_monthly')!.moneyPer).toBe('month');
  });
  it('keeps every field when the schema does not say what is read', () => {
    expect(names(householdFields(schema))).toBe('id area county dibao(enrolled monthly_amount) members(id birth_date orphan income_monthly)');
  });
});

describe('outputs as an officer reads them', () => {
  it('money: 元 with two decimals and thousand separators, from the exact text', () => {
    expect(moneyText('1100')).toBe('1,100.00');
    expect(moneyText('981.67')).toBe('981.67');
    expect(moneyText('1234567.5')).toBe('1,234,567.50');
    expect(formatOutput('1136.67', '金额/月 money per month', 'zh')).toBe('1,136.67 元/月');
    expect(formatOutput('1136.67', '金额/月 money per month', 'en')).toBe('1,136.67 yuan/month');
    expect(formatOutput('5520', '金额/年 money per year', 'zh')).toBe('5,520.00 元/年');
  });
  it('是/否, dates as written, lists joined, nothing as —', () => {
    expect(formatOutput(true, '布尔 bool', 'zh')).toBe('是');
    expect(formatOutput(false, '布尔 bool', 'en')).toBe('no');
    expect(formatOutput('2025-06-01', '日期 date', 'zh')).toBe('2025-06-01');
    expect(formatOutput(['m1', 'm2'], '文本列表 text list', 'zh')).toBe('m1、m2');
    expect(formatOutput([], '文本列表 text list', 'en')).toBe('(none)');
    expect(formatOutput(null, '日期 date', 'zh')).toBe('—');
  });
});
