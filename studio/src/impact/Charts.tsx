// The Impact tab's charts, in plain SVG: before/after cost bars, the histogram of changes and
// the before/after distribution of monthly amounts. Bar lengths come from exact fen ratios.
import { cmpYuan, count, groupDigits, ratio, signed, signOf } from './money';
import { useT } from '../i18n/i18n';

const BEFORE = '#8c959f';
const AFTER = '#0b57d0';
const UP = '#1a7f37';
const DOWN = '#cf222e';

/** Two horizontal bars: the yearly cost before and after, with the exact figures. */
export function CostBars({ before, after, change }: { before: string; after: string; change: string }) {
  const t = useT();
  const max = cmpYuan(after, before) > 0 ? after : before;
  const W = 360, H = 78, label = 70, bar = 22;
  const width = (v: string) => Math.max(1, Math.round(ratio(v, max) * (W - label - 10)));
  const up = signOf(change);
  return (
    <svg className="impact-chart" data-testid="impact-cost-chart" viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img"
      aria-label={`${t('impact.cost.yearly')}: ${before} → ${after}`}>
      <text x={0} y={20} className="impact-axis">{t('impact.cost.before')}</text>
      <rect x={label} y={6} width={width(before)} height={bar} fill={BEFORE} data-testid="impact-cost-bar-before"><title>{groupDigits(before)}</title></rect>
      <text x={0} y={56} className="impact-axis">{t('impact.cost.after')}</text>
      <rect x={label} y={42} width={width(after)} height={bar} fill={up > 0 ? UP : up < 0 ? DOWN : AFTER} data-testid="impact-cost-bar-after"><title>{groupDigits(after)}</title></rect>
      {up !== 0 && <text x={W - 4} y={H - 2} textAnchor="end" className="impact-axis">{signed(change)}</text>}
    </svg>
  );
}

interface Bucket { from: string | null; to: string | null; households: number }

/** Left axis with its title, 0 and the largest value; the x axis line and its title below. */
function Axes({ left, plot, width, max, yTitle, xTitle, height }: { left: number; plot: number; width: number; max: number; yTitle: string; xTitle: string; height: number }) {
  return (
    <g data-testid="impact-axes">
      <line x1={left} x2={left} y1={4} y2={plot} stroke="#57606a" />
      <line x1={left} x2={width} y1={plot} y2={plot} stroke="#57606a" />
      <text x={left - 4} y={plot} textAnchor="end" className="impact-axis">0</text>
      <text x={left - 4} y={12} textAnchor="end" className="impact-axis" data-testid="impact-axis-max">{count(max)}</text>
      <text x={4} y={plot / 2} className="impact-axis" transform={`rotate(-90 10 ${plot / 2})`} textAnchor="middle">{yTitle}</text>
      <text x={(left + width) / 2} y={height - 2} textAnchor="middle" className="impact-axis">{xTitle}</text>
    </g>
  );
}

function bucketLabel(b: { from: string | null; to: string | null }): string {
  const f = (x: string) => x.replace(/\.00$/, '');
  if (b.from === null && b.to !== null) return `< ${f(b.to)}`;
  if (b.to === null && b.from !== null) return `≥ ${f(b.from)}`;
  return `${f(b.from ?? '')} ~ ${f(b.to ?? '')}`;
}

/** Vertical bars: how many changed households fall in each band of monthly change. */
export function ChangeHistogram({ buckets }: { buckets: Bucket[] }) {
  const t = useT();
  const total = buckets.reduce((s, b) => s + b.households, 0);
  if (!total) return <div className="muted" data-testid="impact-histogram-empty">{t('impact.histogram.empty')}</div>;
  const max = Math.max(...buckets.map((b) => b.households));
  const left = 44, slot = 84, W = left + buckets.length * slot, plot = 120, H = plot + 44;
  return (
    <svg className="impact-chart" data-testid="impact-histogram" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={t('impact.histogram.title')}>
      {buckets.map((b, i) => {
        const h = b.households ? Math.max(2, Math.round((b.households / max) * (plot - 16))) : 0;
        const negative = b.to !== null && signOf(b.to) <= 0;
        const x = left + i * slot + 8;
        return (
          <g key={i} data-testid={`impact-histogram-bar-${i}`} data-households={b.households} data-from={b.from ?? ''} data-to={b.to ?? ''}>
            <rect x={x} y={plot - h} width={slot - 16} height={h} fill={negative ? DOWN : UP}><title>{`${bucketLabel(b)}: ${b.households}`}</title></rect>
            <text x={x + (slot - 16) / 2} y={plot - h - 3} textAnchor="middle" className="impact-count">{b.households ? count(b.households) : ''}</text>
            <text x={x + (slot - 16) / 2} y={plot + 14} textAnchor="middle" className="impact-axis">{bucketLabel(b)}</text>
          </g>
        );
      })}
      <Axes left={left} plot={plot} width={W} max={max} yTitle={t('impact.axis.households')} xTitle={t('impact.axis.change')} height={H} />
    </svg>
  );
}

/** Paired bars: recipient households per band of monthly amount, before and after. */
export function DistributionChart({ buckets }: { buckets: { from: string; to: string | null; baseline: number; candidate: number }[] }) {
  const t = useT();
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.baseline, b.candidate)));
  const left = 44, slot = 84, W = left + buckets.length * slot, plot = 110, H = plot + 58;
  return (
    <svg className="impact-chart" data-testid="impact-distribution" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={t('impact.distribution.title')}>
      {buckets.map((b, i) => {
        const hb = Math.round((b.baseline / max) * (plot - 4)), hc = Math.round((b.candidate / max) * (plot - 4));
        const x = left + i * slot + 6, w = (slot - 12) / 2;
        return (
          <g key={i} data-testid={`impact-distribution-bar-${i}`}>
            <rect x={x} y={plot - hb} width={w} height={hb} fill={BEFORE}><title>{`${t('impact.cost.before')} ${bucketLabel(b)}: ${b.baseline}`}</title></rect>
            <rect x={x + w} y={plot - hc} width={w} height={hc} fill={AFTER}><title>{`${t('impact.cost.after')} ${bucketLabel(b)}: ${b.candidate}`}</title></rect>
            <text x={x + w} y={plot + 14} textAnchor="middle" className="impact-axis">{bucketLabel(b)}</text>
          </g>
        );
      })}
      <Axes left={left} plot={plot} width={W} max={max} yTitle={t('impact.axis.households')} xTitle={t('impact.axis.amount')} height={H - 16} />
      <rect x={4} y={H - 14} width={10} height={10} fill={BEFORE} /><text x={18} y={H - 5} className="impact-axis">{t('impact.cost.before')}</text>
      <rect x={90} y={H - 14} width={10} height={10} fill={AFTER} /><text x={104} y={H - 5} className="impact-axis">{t('impact.cost.after')}</text>
    </svg>
  );
}
