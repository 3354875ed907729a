// Invite a patient: a one-time code, shown once, with a copy button and its expiry.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { alertBox, busy, moment } from './frame.js';

const VALID = { 24: '1 day', 72: '3 days', 168: '1 week', 336: '2 weeks' };

function copyButton(code, status) {
  return h('button', {
    type: 'button',
    async onclick() {
      try {
        await navigator.clipboard.writeText(code);
        status.textContent = 'Copied.';
      } catch {
        // No clipboard here (or no permission): select the code so it can be copied by hand.
        getSelection().selectAllChildren(document.getElementById('invite-code'));
        status.textContent = 'Selected: copy it with your keyboard or menu.';
      }
    },
  }, 'Copy code');
}

function shown(invite) {
  const status = h('p', { class: 'hint', role: 'status' });
  return h('div', { class: 'invite-code advice' },
    h('p', {}, invite.label ? `Invite code for ${invite.label}` : 'Invite code'),
    h('p', { class: 'code', id: 'invite-code' }, invite.code),
    h('div', { class: 'row' }, copyButton(invite.code, status)), status,
    h('p', {}, `It works once, until ${moment(invite.expires_at)}. It is shown only now, so give it to your patient: `
      + 'they enter it in the app under Settings, “Your physiotherapist”, and see what they would share before agreeing.'));
}

export function inviteForm() {
  const message = alertBox();
  const result = h('div', { 'aria-live': 'polite' });
  return h('section', { class: 'card', 'aria-labelledby': 'invite-h' },
    h('h2', { id: 'invite-h' }, 'Invite a patient'),
    h('form', {
      class: 'stack',
      async onsubmit(event) {
        event.preventDefault();
        const form = event.target;
        const body = { label: form.elements.label.value.trim(), valid_hours: Number(form.elements.valid_hours.value) };
        const invite = await busy(form.querySelector('[type=submit]'), message,
          () => api('POST', '/care/invites', body), 'Creating…');
        if (!invite) return;
        result.replaceChildren(shown(invite));
        form.reset();
      },
    },
    h('div', { class: 'row top' },
      field('Who it is for', h('input', { name: 'label', maxlength: 100, autocomplete: 'off' }), 'Optional: a note for you, not shown to the patient.'),
      field('Valid for', h('select', { name: 'valid_hours' },
        Object.entries(VALID).map(([hours, words]) => h('option', { value: hours, selected: hours === '72' }, words))))),
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Create invite code')),
    result);
}
