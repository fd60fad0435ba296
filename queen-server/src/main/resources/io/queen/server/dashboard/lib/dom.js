// Elements from data without innerHTML: every string becomes a text node, so nothing a producer
// put in a payload, a queue name or an error message can run as markup.

/**
 * h('a', {href: '/x', class: 'c', onclick: fn}, 'text', child, [more]) → an element.
 * Attributes: `class`, `on<event>` (listeners), `dataset`, `style` (an object), booleans (set when
 * true, absent when false); null and undefined are skipped, in attributes and in children.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'style' && typeof value === 'object') {
        Object.assign(el.style, value);
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `el` holds. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An in-app link: the router takes clicks on `data-nav` anchors. */
export function link(href, ...children) {
  return h('a', { href, 'data-nav': true }, ...children);
}

/** A section with a heading, for a page's parts. */
export function section(title, ...children) {
  const id = 'sec-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** Summary cards: [{label, value, href?, tone?}]. */
export function cards(items) {
  return h('div', { class: 'cards' }, items.map((c) => {
    const body = [h('span', { class: 'card-label' }, c.label), h('span', { class: 'card-value' }, c.value)];
    return c.href
      ? h('a', { class: 'card' + (c.tone ? ' ' + c.tone : ''), href: c.href, 'data-nav': true }, body)
      : h('div', { class: 'card' + (c.tone ? ' ' + c.tone : '') }, body);
  }));
}

/** A labelled form control: label(text, input). */
export function field(text, control) {
  const id = control.id || 'f-' + Math.random().toString(36).slice(2, 9);
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, text), control);
}

/** A <select> of [value, label] pairs. */
export function select(name, options, value) {
  return h('select', { name }, options.map(([v, label]) =>
    h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** A small coloured label: tone ok, warn, bad or none. */
export function badge(text, tone) {
  return h('span', { class: 'badge' + (tone ? ' ' + tone : '') }, text);
}
