// Time-series charts on uPlot, a webjar from Maven Central: the server writes where it serves it
// (its version) into the page's queen-uplot meta tag.
const { default: uPlot } = await import(document.querySelector('meta[name="queen-uplot"]').content
  + '/dist/uPlot.esm.js');
import { h } from './dom.js';
import { ms, num } from './format.js';

const PALETTE = ['--series-1', '--series-2', '--series-3', '--series-4'];

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * A line chart of time series: `series` [{label, unit?}], data [[unix seconds…], [values…]…].
 * Returns {element, update(data)}; the chart follows its container's width and the theme.
 */
export function lineChart({ title, series, data, height = 220, format = num }) {
  const holder = h('div', { class: 'chart-canvas' });
  const summary = h('p', { class: 'sr-only' });
  const element = h('figure', { class: 'chart', 'aria-label': title },
    h('figcaption', null, title), holder, summary);
  let plot = null;
  let current = data;
  let xRange = null; // [from, to] in unix seconds: the x axis spans the chosen range, not just the data

  function options(width) {
    const axis = cssVar('--muted');
    const grid = cssVar('--grid');
    return {
      width, height,
      cursor: { points: { size: 6 } },
      legend: { live: true },
      scales: { x: { time: true, range: (u, min, max) => xRange || [min, max] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 72,
          values: (u, vals) => vals.map((v) => format(v)) },
      ],
      series: [{}, ...series.map((s, i) => ({
        label: s.label,
        stroke: cssVar(PALETTE[i % PALETTE.length]),
        width: 2,
        // a line needs two points: sparse series (a server minutes old) show their points
        points: { show: (u) => u.data[0].length <= 30, size: 7, fill: cssVar(PALETTE[i % PALETTE.length]) },
        value: (u, v) => (v === null || v === undefined ? '–' : format(v) + (s.unit ? ' ' + s.unit : '')),
      }))],
    };
  }

  function describe() {
    const last = current[0].length - 1;
    summary.textContent = last < 0 ? title + ': no data in this range.'
      : title + ', latest: ' + series.map((s, i) => s.label + ' ' + format(current[i + 1][last])).join(', ');
  }

  function build() {
    const width = Math.max(280, holder.clientWidth || element.clientWidth || 600);
    plot?.destroy();
    plot = new uPlot(options(width), current, holder);
  }

  const resize = new ResizeObserver(() => {
    if (!plot) return;
    const width = Math.max(280, holder.clientWidth);
    if (Math.abs(width - plot.width) > 4) plot.setSize({ width, height });
  });
  const theme = () => plot && build();
  document.addEventListener('queen:theme', theme);

  // built once attached: uPlot measures its container
  queueMicrotask(() => { build(); describe(); resize.observe(holder); });

  return {
    element,
    /** New data, and optionally the time range {from, to} (ISO) the x axis spans. */
    update(next, range) {
      current = next;
      xRange = range ? [seconds(range.from), seconds(range.to)] : null;
      if (plot) plot.setData(next);
      describe();
    },
    destroy() { resize.disconnect(); document.removeEventListener('queen:theme', theme); plot?.destroy(); },
  };
}

/** Unix seconds of an ISO time, for the x axis. */
export function seconds(iso) {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** Push-to-delivery lag (average and maximum) over time, in durations. */
export function lagChart(title) {
  return lineChart({ title, series: [{ label: 'Average' }, { label: 'Maximum' }], data: [[], [], []], format: ms });
}
