import type { DayUsage } from '../data/usage-by-day.ts';

const WIDTH = 480;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 30, left: 30 };

/** A readable upper bound for the y axis (1, 2, 5, 10, 20, …). */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A step of 1, 2 or 5 × 10ⁿ (at least 1: the chart counts whole specs). */
function niceStep(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * The y axis: whole-number ticks from 0 up to at least the plan's limit (so a Free plan's bars read
 * against its 5 specs), or the busiest day when that is higher or the plan is unlimited.
 */
export function axisFor(busiestDay: number, limit: number | null): { max: number; ticks: number[] } {
  const top = Math.max(1, busiestDay, limit ?? 0);
  const step = niceStep(top / 5);
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  return { max, ticks };
}

/** One sentence describing the chart for screen readers. */
export function describeUsage(days: readonly DayUsage[]): string {
  const charged = days.reduce((sum, day) => sum + day.charged, 0);
  const free = days.reduce((sum, day) => sum + day.free, 0);
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return `${charged} new spec${charged === 1 ? '' : 's'} charged and ${free} free re-run${free === 1 ? '' : 's'} between ${first} and ${last}.`;
}

/**
 * Usage this period as a server-rendered SVG bar chart (charged stacked under free re-runs), on an axis
 * that fits the plan's limit (drawn as a dashed line) when the plan has one.
 */
export function UsageChart(props: { days: readonly DayUsage[]; limit: number | null }) {
  const days = props.days;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const axis = axisFor(Math.max(0, ...days.map((day) => day.charged + day.free)), props.limit);
  const max = axis.max;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const ticks = axis.ticks;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="usage-chart-title usage-chart-desc">
        <title id="usage-chart-title">Generations per day this period</title>
        <desc id="usage-chart-desc">{describeUsage(days)}</desc>
        {ticks.map((tick) => (
          <g>
            <line
              class="axis"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke-opacity="0.3"
            />
            <text class="tick" x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">
              {String(tick)}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          const chargedTop = y(day.charged);
          const totalTop = y(day.charged + day.free);
          return (
            <g data-day={day.day}>
              {day.charged > 0 ? (
                <rect class="bar-charged" x={x} y={chargedTop} width={barWidth} height={y(0) - chargedTop}>
                  <title>{`${day.day}: ${day.charged} charged`}</title>
                </rect>
              ) : null}
              {day.free > 0 ? (
                <rect class="bar-free" x={x} y={totalTop} width={barWidth} height={chargedTop - totalTop}>
                  <title>{`${day.day}: ${day.free} free re-runs`}</title>
                </rect>
              ) : null}
              {index % labelEvery === 0 ? (
                <text x={x + barWidth / 2} y={HEIGHT - 8} text-anchor="middle">
                  {day.day.slice(8)}
                </text>
              ) : null}
            </g>
          );
        })}
        <line class="axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
        {props.limit === null ? null : (
          <g data-limit={props.limit}>
            <line
              class="limit"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(props.limit)}
              y2={y(props.limit)}
            />
            <text class="limit-label" x={WIDTH - PAD.right} y={y(props.limit) - 4} text-anchor="end">
              {`Plan limit: ${props.limit} specs this period`}
            </text>
          </g>
        )}
      </svg>
      <figcaption class="legend">
        <span>
          <span class="swatch charged" aria-hidden="true" />
          Charged (new spec this period)
        </span>
        <span>
          <span class="swatch free" aria-hidden="true" />
          Free re-run (same spec)
        </span>
      </figcaption>
    </figure>
  );
}
