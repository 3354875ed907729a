// Write to the patient: a comment on the patient, or on one entry of the timeline.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { alertBox, busy } from './frame.js';

/**
 * The comment form; `sent(comment)` is told of each comment sent. Returns {element, about}
 * where about(entry, text) aims the next comment at one entry.
 */
export function commentForm(patient, sent) {
  const message = alertBox();
  const status = h('p', { role: 'status' });
  const subject = h('div', {});
  const text = h('textarea', { name: 'text', rows: 4, required: true, maxlength: 2000 });
  let entryKey = null;
  const about = (entry, words) => {
    entryKey = entry?.key || null;
    subject.replaceChildren(entry
      ? h('p', { class: 'about' }, `About the entry: ${words}`, ' ',
        h('button', { type: 'button', onclick: () => { about(null); text.focus(); } }, `Comment on ${patient.display_name} instead`))
      : h('p', { class: 'about' }, `About ${patient.display_name} in general`));
    if (entry) text.focus();
  };
  about(null);
  const element = h('section', { class: 'card', 'aria-labelledby': 'comment-h', id: 'comment' },
    h('h2', { id: 'comment-h' }, `Write to ${patient.display_name}`),
    h('form', {
      class: 'stack',
      async onsubmit(event) {
        event.preventDefault();
        status.textContent = '';
        const body = { text: text.value, entry_key: entryKey };
        const comment = await busy(event.target.querySelector('[type=submit]'), message,
          () => api('POST', `/care/patients/${patient.id}/comments`, body));
        if (!comment) return;
        text.value = '';
        about(null);
        status.textContent = `Sent. It reaches ${patient.display_name}’s phone the next time it syncs.`;
        sent(comment);
      },
    }, subject, field('Comment', text), message, h('button', { type: 'submit', class: 'primary' }, 'Send comment'), status));
  return { element, about };
}
