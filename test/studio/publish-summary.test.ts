// The publish confirmation's pure parts: the default effective date, why a date is refused, the
// parameter changes and the note proposed from them, the header edits and the diff excerpt.
import { describe, expect, it } from 'vitest';
import { addYears, defaultEffectiveDate, effectiveDateProblem, firstOfNextMonth, isDate, isFarFuture } from '../../studio/src/versions/effectiveDate';
import { formatValue, parameterChanges, proposeNote, type ParamLike } from '../../studio/src/versions/changeSummary';
import { setHeaderEffective, setHeaderNote, headerEffectiveDate } from '../../studio/src/versions/publish';
import { changedLines } from '../../studio/src/versions/LineDiffView';
import { mayDecide, mayPublish } from '../../studio/src/shell/roles';

const p = (name: string, value: string, unit: string, label: string | null = name): ParamLike => ({ name, label, value, unit });

describe('default effective date', () => {
  it('is the first day of next month', () => {
    expect(firstOfNextMonth('2026-12-06')).toBe('2027-01-01');
    expect(firstOfNextMonth('2026-01-31')).toBe('2026-02-01');
    expect(defaultEffectiveDate('2026-12-06', '2022-01-01')).toBe('2027-01-01');
    expect(defaultEffectiveDate('2026-12-06', null)).toBe('2027-01-01');
  });

  it('is never on or before the latest version’s date', () => {
    // the latest version starts exactly on the first of next month: the month after it
    expect(defaultEffectiveDate('2026-12-06', '2027-01-01')).toBe('2027-02-01');
    // the latest version is dated years ahead
    expect(defaultEffectiveDate('2026-12-06', '2030-01-01')).toBe('2030-02-01');
    expect(defaultEffectiveDate('2026-12-06', '2030-12-15')).toBe('2031-01-01');
  });
});

describe('a date on or before the latest version is refused with the reason', () => {
  const latest = { version: 2, effective_from: '2022-01-01' };
  it('equal and earlier dates, each with its own reason naming the version and date', () => {
    expect(effectiveDateProblem('2022-01-01', latest)).toEqual({ key: 'ver.date.equal', args: { n: 2, date: '2022-01-01' } });
    expect(effectiveDateProblem('2021-12-31', latest)).toEqual({ key: 'ver.date.before', args: { n: 2, date: '2022-01-01' } });
    expect(effectiveDateProblem('2022-01-02', latest)).toBeNull();
    expect(effectiveDateProblem('2022-01-02', null)).toBeNull();
  });
  it('a date that is not a real date', () => {
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('2028-02-29')).toBe(true);
    expect(effectiveDateProblem('2027-02-30', latest)).toEqual({ key: 'ver.publish.reason.effective' });
    expect(effectiveDateProblem('', latest)).toEqual({ key: 'ver.publish.reason.effective' });
  });
  it('more than 10 years ahead asks for confirmation', () => {
    expect(addYears('2028-02-29', 10)).toBe('2038-02-28');
    expect(isFarFuture('2036-12-06', '2026-12-06')).toBe(false);
    expect(isFarFuture('2036-12-07', '2026-12-06')).toBe(true);
  });
});

describe('parameter changes and the proposed note', () => {
  const before = [p('城市低保标准', '650', '元/月'), p('农村低保标准', '5520', '元/年'), p('特殊成员加发比例', '10', '%')];
  it('lists changed values before → after, formatted with their units', () => {
    const after = [p('城市低保标准', '700', '元/月'), p('农村低保标准', '5520', '元/年'), p('特殊成员加发比例', '15', '%')];
    expect(parameterChanges(before, after)).toEqual([
      { name: '城市低保标准', label: '城市低保标准', before: '650 元/月', after: '700 元/月' },
      { name: '特殊成员加发比例', label: '特殊成员加发比例', before: '10%', after: '15%' },
    ]);
    expect(proposeNote(parameterChanges(before, [after[0]!, ...before.slice(1)]), null)).toBe('城市低保标准 650 元/月 → 700 元/月');
    expect(proposeNote(parameterChanges(before, after), null)).toBe('城市低保标准 650 元/月 → 700 元/月；特殊成员加发比例 10% → 15%');
  });
  it('names added and removed parameters', () => {
    const after = [p('城市低保标准', '650', '元/月'), p('农村低保标准', '5520', '元/年'), p('取暖补贴', '100', '元/月')];
    const changes = parameterChanges(before, after);
    expect(changes).toEqual([
      { name: '取暖补贴', label: '取暖补贴', before: null, after: '100 元/月' },
      { name: '特殊成员加发比例', label: '特殊成员加发比例', before: '10%', after: null },
    ]);
    expect(proposeNote(changes, null)).toBe('新增参数 取暖补贴 = 100 元/月；删除参数 特殊成员加发比例');
    expect(proposeNote(changes, null, 'en')).toBe('new parameter 取暖补贴 = 100 元/月; removed parameter 特殊成员加发比例');
  });
  it('without parameter changes, says what else changed', () => {
    const diff = { source: { added: 3, removed: 1 }, scenarios: { added: 12, removed: 0 } };
    expect(proposeNote([], diff)).toBe('修改规则（+3 −1 行）；更新测试用例（+12 −0 行）');
    expect(proposeNote([], { source: { added: 0, removed: 0 }, scenarios: { added: 12, removed: 0 } }, 'en')).toBe('test cases updated (+12 −0 lines)');
    expect(proposeNote([], { source: { added: 0, removed: 0 }, scenarios: { added: 0, removed: 0 } })).toBe('');
  });
  it('formats a value without a unit as the bare number', () => {
    expect(formatValue({ value: '2', unit: '' })).toBe('2');
  });
});

describe('the header follows what is published', () => {
  const src = '政策 p「x」\n  生效 2022-01-01 假定「001 未给出生效日」\n  说明「城市低保标准提高到 650 元/月」\n参数 a = 1\n';
  it('a new date drops the old date’s 假定 reason; the same date keeps it', () => {
    expect(setHeaderEffective(src, '2027-01-01')).toBe('政策 p「x」\n  生效 2027-01-01\n  说明「城市低保标准提高到 650 元/月」\n参数 a = 1\n');
    expect(setHeaderEffective(src, '2022-01-01')).toBe(src);
    expect(headerEffectiveDate(src)).toBe('2022-01-01');
  });
  it('说明 becomes the note, with 「」 made safe inside the literal', () => {
    expect(setHeaderNote(src, '城市低保标准 650 元/月 → 700 元/月')).toContain('  说明「城市低保标准 650 元/月 → 700 元/月」\n');
    expect(setHeaderNote(src, '依据「001」调整\n第二行')).toContain('  说明「依据“001”调整 第二行」\n');
    expect(setHeaderNote('policy p "x"\n  note "old"\n', 'new')).toBe('policy p "x"\n  note "new"\n');
  });
});

describe('the diff excerpt', () => {
  const eq = (n: number) => ({ op: 'equal' as const, text: `l${n}`, from_line: n, to_line: n });
  it('keeps changed lines with one line of context and marks the gaps', () => {
    const lines = [eq(1), eq(2), eq(3), { op: 'remove' as const, text: 'old', from_line: 4, to_line: null }, { op: 'add' as const, text: 'new', from_line: null, to_line: 4 }, eq(5), eq(6), eq(7), eq(8)];
    const text = (ls: typeof lines) => changedLines(ls).map((l) => ('gap' in l && l.gap ? '…' : (l as { text: string }).text));
    // lines before the first and after the last change are left out silently (the line numbers say where)
    expect(text(lines)).toEqual(['l3', 'old', 'new', 'l5']);
    const two = [...lines, { op: 'add' as const, text: 'more', from_line: null, to_line: 9 }];
    expect(text(two)).toEqual(['l3', 'old', 'new', 'l5', '…', 'l8', 'more']);
    expect(text([eq(1), eq(2)])).toEqual([]);
  });
});

describe('what a role may do', () => {
  it('editors publish; reviewers and admins decide, never their own request', () => {
    expect(mayPublish({ name: 'ed', role: 'editor', open: false })).toBe(true);
    expect(mayPublish({ name: 'rv', role: 'reviewer', open: false })).toBe(false);
    expect(mayDecide({ name: 'ed', role: 'editor', open: false }, 'someone')).toBe(false);
    expect(mayDecide({ name: 'rv', role: 'reviewer', open: false }, 'ed')).toBe(true);
    expect(mayDecide({ name: 'rv', role: 'reviewer', open: false }, 'rv')).toBe(false);
    expect(mayDecide({ name: 'local', role: 'admin', open: true }, 'local')).toBe(true);
    expect(mayDecide(null, 'ed')).toBe(true);   // unknown caller: the server decides
  });
});
