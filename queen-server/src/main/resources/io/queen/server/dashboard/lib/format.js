// Numbers, times and durations as an operator reads them.

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export function num(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Math.abs(n) < 10 && !Number.isInteger(n) ? decimal.format(n) : integer.format(n);
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? integer : decimal).format(v) + ' ' + units[i];
}

/** Seconds as "3 s", "4 min", "2 h 5 min", "3 d". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) {
    const m = Math.floor((s % 3600) / 60);
    return Math.floor(s / 3600) + ' h' + (m ? ' ' + m + ' min' : '');
  }
  return Math.floor(s / 86400) + ' d';
}

export function ms(n) {
  if (n === null || n === undefined) return '–';
  return n < 1000 ? integer.format(n) + ' ms' : duration(n / 1000);
}

/** An ISO time as local date and time, to the second. */
export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
}

/** "5 min ago" for an ISO time. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '–';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = (now - t) / 1000;
  return s < 1 ? 'just now' : duration(s) + ' ago';
}

/** A <time> element showing `ago`, with the exact time as its title. */
export function timeAgo(h, iso) {
  return iso ? h('time', { datetime: iso, title: time(iso) }, ago(iso)) : '–';
}

/** A datetime-local input's value (local time) as ISO-8601 UTC, or undefined when empty. */
export function fromLocalInput(value) {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An ISO time as a datetime-local input's value. */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Pretty JSON for a payload (strings stay strings). */
export function pretty(value) {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

export const RANGES = [
  ['15m', 'Last 15 minutes', 15 * 60],
  ['1h', 'Last hour', 3600],
  ['6h', 'Last 6 hours', 6 * 3600],
  ['24h', 'Last 24 hours', 86400],
  ['7d', 'Last 7 days', 7 * 86400],
];

/** {from, to} ISO strings for a range key of RANGES (default the last hour). */
export function rangeOf(key) {
  const found = RANGES.find((r) => r[0] === key) || RANGES[1];
  const to = new Date();
  return { from: new Date(to.getTime() - found[2] * 1000).toISOString(), to: to.toISOString() };
}
