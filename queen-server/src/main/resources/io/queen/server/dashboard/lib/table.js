import { h, replace } from './dom.js';
import { num } from './format.js';

/**
 * A sortable, searchable, paginated table.
 *
 * columns: [{key, label, value?(row) → what sorting and searching use, render?(row) → cell
 *   content, numeric?, sortable? (default true), searchable? (default: not numeric)}]
 * Rows come either as an array (`update(rows)`: sorted, searched and paged here) or from
 * `load({offset, limit, sort, order, search}) → {rows, total}` (the server does it: a queue's
 * 10,000 partitions never travel whole). `selectable` adds a checkbox column; `selection()`
 * returns the chosen rows' keys.
 * Returns {element, update, reload, selection, clearSelection}.
 */
export function dataTable({
  columns, rows = [], key = (r) => r.id, label, pageSize = 50, searchable = true,
  sort: initialSort, order: initialOrder = 'asc', emptyText = 'Nothing here yet.', load,
  selectable = false, onSelectionChange, searchLabel = 'Search',
}) {
  const state = { sort: initialSort || null, order: initialOrder, search: '', page: 0, rows, total: rows.length };
  const selected = new Set();
  const valueOf = (col, row) => (col.value ? col.value(row) : row[col.key]);

  const searchInput = h('input', { type: 'search', placeholder: searchLabel + '…', 'aria-label': searchLabel });
  let searchTimer;
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.search = searchInput.value.trim(); state.page = 0; refresh(); }, load ? 250 : 0);
  });
  const info = h('span', { class: 'muted table-info', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary small', 'aria-label': 'Previous page' }, '‹ Prev');
  const next = h('button', { type: 'button', class: 'secondary small', 'aria-label': 'Next page' }, 'Next ›');
  prev.addEventListener('click', () => { if (state.page > 0) { state.page--; refresh(); } });
  next.addEventListener('click', () => { state.page++; refresh(); });

  const headRow = h('tr');
  const thead = h('thead', null, headRow);
  const tbody = h('tbody');
  const table = h('table', { 'aria-label': label }, thead, tbody);
  const toolbar = h('div', { class: 'table-tools' }, searchable ? searchInput : null, info);
  const pager = h('div', { class: 'pager' }, prev, next);
  const element = h('div', { class: 'table-wrap' }, toolbar, h('div', { class: 'scroll' }, table), pager);

  function header() {
    const cells = [];
    if (selectable) {
      const all = h('input', { type: 'checkbox', 'aria-label': 'Select all on this page' });
      all.addEventListener('change', () => {
        for (const row of currentRows) {
          if (all.checked) selected.add(key(row)); else selected.delete(key(row));
        }
        renderBody();
        onSelectionChange?.(selection());
      });
      cells.push(h('th', { class: 'check' }, all));
    }
    for (const col of columns) {
      const sortable = col.sortable !== false;
      const active = state.sort === col.key;
      const th = h('th', {
        scope: 'col', class: col.numeric ? 'num' : null,
        'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : (sortable ? 'none' : null),
      });
      if (sortable) {
        const b = h('button', { type: 'button', class: 'sort' }, col.label,
          h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (state.order === 'asc' ? ' ▲' : ' ▼') : ''));
        b.addEventListener('click', () => {
          if (state.sort === col.key) state.order = state.order === 'asc' ? 'desc' : 'asc';
          else { state.sort = col.key; state.order = col.numeric ? 'desc' : 'asc'; }
          state.page = 0;
          refresh();
        });
        th.append(b);
      } else {
        th.append(col.label);
      }
      cells.push(th);
    }
    replace(headRow, cells);
  }

  let currentRows = [];
  function renderBody() {
    if (!currentRows.length) {
      replace(tbody, h('tr', null, h('td', { colspan: columns.length + (selectable ? 1 : 0), class: 'empty' },
        state.search ? 'No match for “' + state.search + '”.' : emptyText)));
      return;
    }
    replace(tbody, currentRows.map((row) => {
      const cells = [];
      if (selectable) {
        const k = key(row);
        const box = h('input', { type: 'checkbox', checked: selected.has(k), 'aria-label': 'Select ' + k });
        box.addEventListener('change', () => {
          if (box.checked) selected.add(k); else selected.delete(k);
          onSelectionChange?.(selection());
        });
        cells.push(h('td', { class: 'check' }, box));
      }
      for (const col of columns) {
        const content = col.render ? col.render(row) : valueOf(col, row);
        cells.push(h('td', { class: col.numeric ? 'num' : null },
          typeof content === 'number' ? num(content) : content ?? '–'));
      }
      return h('tr', null, cells);
    }));
  }

  function local() {
    let list = state.rows;
    if (state.search) {
      const needle = state.search.toLowerCase();
      const cols = columns.filter((c) => c.searchable ?? !c.numeric);
      list = list.filter((row) => cols.some((c) => String(valueOf(c, row) ?? '').toLowerCase().includes(needle)));
    }
    if (state.sort) {
      const col = columns.find((c) => c.key === state.sort);
      const dir = state.order === 'asc' ? 1 : -1;
      list = [...list].sort((a, b) => {
        const x = valueOf(col, a);
        const y = valueOf(col, b);
        if (x === y) return 0;
        if (x === null || x === undefined) return -dir;
        if (y === null || y === undefined) return dir;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true })) * dir;
      });
    }
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    return { rows: list.slice(state.page * pageSize, (state.page + 1) * pageSize), total: list.length };
  }

  let generation = 0;
  async function refresh() {
    header();
    let page;
    if (load) {
      const mine = ++generation;
      page = await load({ offset: state.page * pageSize, limit: pageSize, sort: state.sort, order: state.order, search: state.search });
      if (mine !== generation) return; // a newer request answered first
      if (page.rows.length === 0 && state.page > 0 && page.total > 0) {
        state.page = Math.max(0, Math.ceil(page.total / pageSize) - 1);
        return refresh();
      }
    } else {
      page = local();
    }
    currentRows = page.rows;
    state.total = page.total;
    const first = page.total === 0 ? 0 : state.page * pageSize + 1;
    info.textContent = page.total > pageSize
      ? `${num(first)}–${num(state.page * pageSize + page.rows.length)} of ${num(page.total)}`
      : `${num(page.total)} ${page.total === 1 ? 'row' : 'rows'}`;
    prev.disabled = state.page === 0;
    next.disabled = (state.page + 1) * pageSize >= page.total;
    pager.hidden = page.total <= pageSize;
    renderBody();
  }

  function selection() {
    return [...selected];
  }

  return {
    element,
    /** New rows (array mode), keeping sort, search, page and selection. */
    update(newRows) { state.rows = newRows; return refresh(); },
    /** Asks `load` again for the current page. */
    reload: refresh,
    selection,
    clearSelection() { selected.clear(); renderBody(); onSelectionChange?.([]); },
  };
}
