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

/** One sentence describing the chart for screen readers. */
export function describeUsage(days: readonly DayUsage[]): string {
  const charged = days.reduce((sum, day) => sum + day.charged, 0);
  const free = days.reduce((sum, day) => sum + day.free, 0);
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return `${charged} new spec${charged === 1 ? '' : 's'} charged and ${free} free re-run${free === 1 ? '' : 's'} between ${first} and ${last}.`;
}

/** Usage this period as a server-rendered SVG bar chart (charged stacked under free re-runs). */
export function UsageChart(props: { days: readonly DayUsage[] }) {
  const days = props.days;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...days.map((day) => day.charged + day.free)));
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const ticks = max === 1 ? [0, 1] : [0, max / 2, max];
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
            <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">
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
