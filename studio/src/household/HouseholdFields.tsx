// The schema-generated household editor: household fields as a grid, nested objects as
// fieldsets, the member list as a table with add/remove. Labels follow the UI language.
import type { Json } from '../language/types';
import { useI18n } from '../i18n/i18n';
import { formatInput, newMember, parseInput, type FieldSpec } from './schemaForm';

type Obj = Record<string, Json>;

export function fieldLabel(f: FieldSpec, lang: 'zh' | 'en'): string { return lang === 'zh' ? f.label : f.labelEn; }

interface FieldInputProps { field: FieldSpec; value: Json | undefined; onChange(v: Json | undefined): void; testid: string; compact?: boolean }

export function FieldInput({ field: f, value, onChange, testid, compact }: FieldInputProps) {
  const { lang, t } = useI18n();
  const title = f.description ?? undefined;
  const label = fieldLabel(f, lang);
  const placeholder = f.default !== undefined && f.default !== null ? String(f.default) : undefined;
  switch (f.kind) {
    case 'bool': {
      const checked = value === undefined ? f.default === true : value === true;
      return <input type="checkbox" data-testid={testid} aria-label={label} title={title} checked={checked} onChange={(e) => onChange(e.target.checked)} />;
    }
    case 'enum':
      return (
        <select data-testid={testid} aria-label={label} title={title} value={value === null ? '\u0000null' : value === undefined ? '' : String(value)}
          onChange={(e) => onChange(parseInput(f, e.target.value))}>
          {!f.required && <option value="">{t('hh.unset')}{f.default != null ? ` ${enumLabel(f, String(f.default), lang)}` : ''}</option>}
          {f.nullable && <option value={'\u0000null'}>{t('hh.null')}</option>}
          {f.enumValues.map((e) => <option key={e.value} value={e.value}>{lang === 'zh' ? e.label : e.labelEn}{e.label !== e.value && lang === 'zh' ? ` (${e.value})` : ''}</option>)}
        </select>
      );
    case 'date':
      return <input type="date" data-testid={testid} aria-label={label} title={title} value={formatInput(f, value)} onChange={(e) => onChange(parseInput(f, e.target.value))} />;
    case 'number': case 'integer':
      return <input type="number" data-testid={testid} aria-label={label} title={title} className={compact ? 'narrow' : undefined}
        step={f.kind === 'integer' ? 1 : 'any'} min={f.min ?? undefined} max={f.max ?? undefined} placeholder={placeholder}
        value={formatInput(f, value)} onChange={(e) => onChange(parseInput(f, e.target.value))} />;
    case 'money':
      // the unit beside the box (元/月); full-width digits and thousand separators are accepted (schemaForm.normalizeMoney)
      return (
        <span className="with-unit">
          <input type="text" inputMode="decimal" data-testid={testid} aria-label={`${label} (${t(moneyUnitKey(f))})`} title={title} className={compact ? 'narrow' : undefined}
            placeholder={placeholder ?? '0.00'} value={formatInput(f, value)} onChange={(e) => onChange(parseInput(f, e.target.value))} />
          <span className="unit" data-testid={`${testid}-unit`}>{t(moneyUnitKey(f))}</span>
        </span>
      );
    case 'textlist':
      return <input type="text" data-testid={testid} aria-label={label} title={title ?? t('hh.listHint')} placeholder={t('hh.listHint')}
        value={formatInput(f, value)} onChange={(e) => onChange(parseInput(f, e.target.value))} />;
    case 'object':
      return <ObjectFields fields={f.fields} value={(value as Obj) ?? {}} onChange={onChange} testid={testid} />;
    case 'list':
      return <MemberTable field={f} value={Array.isArray(value) ? (value as Obj[]) : []} onChange={onChange} testid={testid} />;
    default:
      return <input type="text" data-testid={testid} aria-label={label} title={title} className={compact ? 'narrow' : undefined} placeholder={placeholder}
        value={formatInput(f, value)} onChange={(e) => onChange(parseInput(f, e.target.value))} />;
  }
}

function moneyUnitKey(f: FieldSpec): 'unit.yuanPerMonth' | 'unit.yuanPerYear' | 'unit.yuan' {
  return f.moneyPer === 'month' ? 'unit.yuanPerMonth' : f.moneyPer === 'year' ? 'unit.yuanPerYear' : 'unit.yuan';
}

function enumLabel(f: FieldSpec, v: string, lang: 'zh' | 'en'): string {
  const e = f.enumValues.find((x) => x.value === v);
  return e ? (lang === 'zh' ? e.label : e.labelEn) : v;
}

function setField(value: Obj, name: string, v: Json | undefined): Obj {
  const next = { ...value };
  if (v === undefined) delete next[name]; else next[name] = v;
  return next;
}

export function ObjectFields({ fields, value, onChange, testid }: { fields: FieldSpec[]; value: Obj; onChange(v: Obj): void; testid: string }) {
  const { lang } = useI18n();
  const simple = fields.filter((f) => f.kind !== 'object' && f.kind !== 'list');
  const complex = fields.filter((f) => f.kind === 'object' || f.kind === 'list');
  return (
    <div className="object-fields" data-testid={testid}>
      <div className="field-grid">
        {simple.map((f) => (
          <label key={f.name} className={`field field-${f.kind}`}>
            <span className="field-label" title={f.name}>{fieldLabel(f, lang)}{f.required && <span className="req">*</span>}</span>
            <FieldInput field={f} value={value[f.name]} testid={`${testid}-${f.name}`} onChange={(v) => onChange(setField(value, f.name, v))} />
          </label>
        ))}
      </div>
      {complex.map((f) => (
        <fieldset key={f.name} className="field-group">
          <legend title={f.name}>{fieldLabel(f, lang)}</legend>
          <FieldInput field={f} value={value[f.name]} testid={`${testid}-${f.name}`} onChange={(v) => onChange(setField(value, f.name, v))} />
        </fieldset>
      ))}
    </div>
  );
}

export function MemberTable({ field, value, onChange, testid }: { field: FieldSpec; value: Obj[]; onChange(v: Obj[]): void; testid: string }) {
  const { lang, t } = useI18n();
  const cols = field.fields;
  const canRemove = value.length > (field.min ?? 0);
  const canAdd = field.max == null || value.length < field.max;
  return (
    <div className="member-table-wrap">
      <table className="member-table" data-testid={`${testid}-table`}>
        <thead>
          <tr>
            {cols.map((c) => <th key={c.name} title={c.name}>{fieldLabel(c, lang)}{c.required && <span className="req">*</span>}</th>)}
            <th />
          </tr>
        </thead>
        <tbody>
          {value.map((row, i) => (
            <tr key={i} data-testid={`${testid}-row-${i}`}>
              {cols.map((c) => (
                <td key={c.name}>
                  {c.kind === 'object'
                    ? <ObjectFields fields={c.fields} value={(row[c.name] as Obj) ?? {}} testid={`${testid}-${i}-${c.name}`}
                        onChange={(v) => onChange(value.map((r, j) => (j === i ? setField(r, c.name, v) : r)))} />
                    : <FieldInput field={c} value={row[c.name]} compact testid={`${testid}-${i}-${c.name}`}
                        onChange={(v) => onChange(value.map((r, j) => (j === i ? setField(r, c.name, v) : r)))} />}
                </td>
              ))}
              <td>
                <button type="button" className="link danger" data-testid={`${testid}-remove-${i}`} disabled={!canRemove}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('hh.removeMember')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" data-testid={`${testid}-add`} disabled={!canAdd} onClick={() => onChange([...value, newMember(cols, value)])}>+ {t('hh.addMember')}</button>
    </div>
  );
}
