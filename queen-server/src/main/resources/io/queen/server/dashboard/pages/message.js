import { api, seg } from '../lib/api.js';
import { empty, h, link, replace, section } from '../lib/dom.js';
import { pretty, time } from '../lib/format.js';
import { confirmAction } from '../lib/dialog.js';
import { toast } from '../lib/toast.js';
import { statusBadge } from './messages.js';
import { groupLabel } from './groups.js';

export async function render(ctx) {
  const [partitionId, transactionId] = ctx.params.map(decodeURIComponent);
  const path = '/' + seg(partitionId) + '/' + seg(transactionId);
  const [m, traces] = await Promise.all([
    api('/api/v1/messages' + path, { signal: ctx.signal }),
    api('/api/v1/traces' + path, { signal: ctx.signal }),
  ]);
  const facts = [
    ['Queue', link('/queues/' + encodeURIComponent(m.queue), m.queue)],
    ['Partition', link('/messages?queue=' + encodeURIComponent(m.queue) + '&partition=' + encodeURIComponent(m.partition), m.partition)],
    ['Status', statusBadge(m.status)],
    ['Message id', h('code', null, m.id)],
    ['Transaction id', h('code', null, m.transactionId)],
    ['Pushed', time(m.createdAt)],
    ['Trace id', m.traceId || '–'],
    ['Producer', m.producerSub || '–'],
    ['Retries', String(m.retryCount ?? 0)],
    ['Encrypted', m.isEncrypted ? 'yes' : 'no'],
    ['Lease expires', m.leaseExpiresAt ? time(m.leaseExpiresAt) : '–'],
  ];
  const groups = m.consumerGroups || [];
  replace(ctx.el,
    h('div', { class: 'page-head' },
      h('div', null, h('p', { class: 'crumbs' }, link('/messages?queue=' + encodeURIComponent(m.queue), 'Messages'), ' / '),
        h('h1', null, 'Message ' + m.transactionId)),
      ctx.can('read-write') ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: () => remove() }, 'Delete message')) : null),
    m.errorMessage ? h('p', { class: 'banner error' }, 'Last error: ' + m.errorMessage) : null,
    h('div', { class: 'grid-2' },
      section('Details', h('dl', { class: 'config' }, facts.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
      section('Consumer groups', groups.length ? h('table', { 'aria-label': 'Consumer groups' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Consumed'), h('th', { scope: 'col' }, 'Lease expires'))),
        h('tbody', null, groups.map((g) => h('tr', null,
          h('td', null, link('/groups/' + encodeURIComponent(g.name), groupLabel(g.name))),
          h('td', null, g.consumed ? 'yes' : 'no'),
          h('td', null, g.leaseExpiresAt ? time(g.leaseExpiresAt) : '–'))))) : empty('No group has read this partition yet.'))),
    section('Payload', h('pre', { class: 'payload', tabindex: 0, 'aria-label': 'Payload' }, pretty(m.payload))),
    section('Trace timeline', traces.traces.length ? h('ol', { class: 'timeline' }, traces.traces
      .slice().sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map((t) => h('li', { class: 'event ' + (t.event_type || 'info') },
        h('div', { class: 'event-head' }, h('time', { datetime: t.created_at }, time(t.created_at)), ' ',
          h('strong', null, t.event_type || 'info'),
          t.consumer_group ? [' · ', groupLabel(t.consumer_group)] : null,
          t.trace_names?.length ? [' · ', t.trace_names.flatMap((n, i) => [i ? ', ' : null, link('/traces?name=' + encodeURIComponent(n), n)])] : null),
        h('pre', null, pretty(t.data))))) : empty('No trace recorded for this message (consumers add them with POST /api/v1/traces).')));

  async function remove() {
    if (!await confirmAction({ title: 'Delete this message?', message: `Message ${m.transactionId} of ${m.queue}/${m.partition} is deleted with its dead-letter entries and traces. This cannot be undone.`, action: 'Delete message' })) return;
    await api('/api/v1/messages' + path, { method: 'DELETE' });
    toast('Message ' + m.transactionId + ' deleted.');
    ctx.navigate('/messages?queue=' + encodeURIComponent(m.queue));
  }
}
