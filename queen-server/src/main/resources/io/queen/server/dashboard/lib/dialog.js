import { h } from './dom.js';

/**
 * Asks before something that cannot be undone. With `typeToConfirm`, the button works only once
 * that text is typed (a queue's name before it is deleted). Resolves true when confirmed.
 */
export function confirmAction({ title, message, action = 'Confirm', typeToConfirm, danger = true }) {
  return new Promise((resolve) => {
    const input = typeToConfirm
      ? h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Type ' + typeToConfirm + ' to confirm' })
      : null;
    const ok = h('button', { type: 'submit', class: danger ? 'danger' : 'primary', disabled: !!typeToConfirm }, action);
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const form = h('form', { method: 'dialog' },
      h('h2', null, title),
      h('p', null, message),
      input ? h('p', { class: 'muted' }, 'Type ', h('code', null, typeToConfirm), ' to confirm.') : null,
      input,
      h('div', { class: 'actions' }, cancel, ok));
    const dialog = h('dialog', { class: 'confirm', 'aria-label': title }, form);
    let answered = false;
    const finish = (value) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    if (input) input.addEventListener('input', () => { ok.disabled = input.value !== typeToConfirm; });
    form.addEventListener('submit', (e) => { e.preventDefault(); if (!ok.disabled) finish(true); });
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    (input || cancel).focus();
  });
}
