import { api } from '../lib/api.js';
import { badge, h, link, replace } from '../lib/dom.js';
import { duration } from '../lib/format.js';
import { dataTable } from '../lib/table.js';

export const QUEUE_MODE = '__QUEUE_MODE__';

export function groupLabel(name) {
  return name === QUEUE_MODE ? 'queue mode' : name;
}

export function stateBadge(state) {
  return badge(state, state === 'Stable' ? 'ok' : state === 'Lagging' ? 'warn' : null);
}

export async function render(ctx) {
  const table = dataTable({
    label: 'Consumer groups',
    searchLabel: 'Search groups or queues',
    key: (g) => g.name + '\u0000' + g.queueName,
    sort: 'name',
    columns: [
      { key: 'name', label: 'Group', value: (g) => groupLabel(g.name), render: (g) => link('/groups/' + encodeURIComponent(g.name), groupLabel(g.name)) },
      { key: 'queueName', label: 'Queue', render: (g) => link('/queues/' + encodeURIComponent(g.queueName), g.queueName) },
      { key: 'state', label: 'State', render: (g) => stateBadge(g.state) },
      { key: 'members', label: 'Partitions read', numeric: true },
      { key: 'partitionsWithLag', label: 'Partitions behind', numeric: true },
      { key: 'totalLag', label: 'Lag (messages)', numeric: true },
      { key: 'maxTimeLag', label: 'Lag (time)', numeric: true, render: (g) => duration(g.maxTimeLag) },
      { key: 'subscriptionMode', label: 'Subscription', render: (g) => g.subscriptionMode || '–' },
    ],
    emptyText: 'No consumer group has read anything yet.',
  });
  replace(ctx.el, h('div', { class: 'page-head' }, h('h1', null, 'Consumer groups')), table.element);
  async function refresh() {
    await table.update(await api('/api/v1/consumer-groups', { signal: ctx.signal }));
  }
  await refresh();
  ctx.every(refresh);
}
