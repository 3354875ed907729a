// Your data: who read your diary and when, a copy of everything, and deleting the account.
import { h, heading, field, announce } from '../dom.js';
import { api } from '../api.js';
import { go } from '../router.js';
import { forgetAccount, getMeta, setMeta, waitingCount } from '../db.js';
import { emit } from '../bus.js';

// What each logged action of a physio means, said to the person whose data it was.
const ACTIONS = {
  list: 'saw you in their list of patients',
  summary: 'opened your summary',
  entries: 'read your diary entries',
  charts: 'looked at your charts',
  export_csv: 'downloaded your diary as a spreadsheet (CSV)',
  export_fhir: 'downloaded your diary for a health record (FHIR)',
  export_pdf: 'downloaded a PDF summary of your diary',
  review: 'marked your warning signs as reviewed',
  comments: 'read the comments on your diary',
  comment: 'wrote you a comment',
  uncomment: 'deleted a comment',
  assignments: 'looked at the routines and programmes they set you',
  assign: 'set you a routine or programme',
  unassign: 'took back a routine or programme',
  handout: 'printed a handout of a routine or programme they set you',
};

function problem(error) {
  if (error.status === 0) return 'This needs the internet. Try again when you are online.';
  if (error.status === 401) return 'Your session has ended. Sign in again first.';
  if (error.status === 403) return 'That password is not right. Nothing was deleted.';
  return error.body?.fields ? Object.values(error.body.fields).flat().join(' ') : error.message;
}

const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** One line per look; the same look repeated in a row (a list opened again) is said once, counted. */
export function auditLines(rows) {
  const lines = [];
  for (const row of rows) {
    const last = lines[lines.length - 1];
    if (last && last.physio === row.physio.display_name && last.action === row.action && last.detail === row.detail) {
      last.times += 1;
      last.first = row.at;
      continue;
    }
    lines.push({ physio: row.physio.display_name, action: row.action, detail: row.detail, at: row.at, first: row.at, times: 1 });
  }
  return lines.map((line) => {
    const did = ACTIONS[line.action] || `did "${line.action}" with your data`;
    const times = line.times > 1 ? ` (${line.times} times since ${when(line.first)})` : '';
    return `${when(line.at)}: ${line.physio} ${did}${times}.`;
  });
}

async function trail() {
  const section = h('section', { class: 'card', 'aria-labelledby': 'trail-h' }, h('h2', { id: 'trail-h' }, 'Who read your diary'));
  try {
    const rows = await api('GET', '/me/audit');
    section.append(rows.length
      ? h('ul', { class: 'plain trail' }, auditLines(rows).map((line) => h('li', {}, line)))
      : h('p', {}, 'Nobody has read your diary. Only a physiotherapist you share it with can, and each look is listed here.'));
  } catch (error) {
    section.append(h('p', { class: 'error' }, problem(error)));
  }
  return section;
}

function download() {
  const message = h('p', { role: 'status' });
  return h('section', { class: 'card', 'aria-labelledby': 'copy-h' },
    h('h2', { id: 'copy-h' }, 'A copy of everything'),
    h('p', {}, 'Your diary, settings, sharing, comments, the routines set for you and the list of who read your diary, as one JSON file.'),
    h('button', {
      type: 'button',
      async onclick(event) {
        const button = event.currentTarget;
        button.disabled = true;
        message.textContent = 'Preparing your file…';
        try {
          const file = await api('GET', '/me/export', undefined, { blob: true });
          const link = h('a', { href: URL.createObjectURL(file), download: 'unknot-my-data.json' });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
          message.textContent = 'Downloaded: unknot-my-data.json.';
        } catch (error) {
          message.textContent = problem(error);
        } finally {
          button.disabled = false;
        }
      },
    }, 'Download my data'),
    message);
}

async function erase() {
  const waiting = await waitingCount();
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'stack',
    async onsubmit(event) {
      event.preventDefault();
      const button = event.target.querySelector('button[type=submit]');
      button.disabled = true;
      message.textContent = '';
      try {
        await api('DELETE', '/me', { password: event.target.elements.password.value });
        await forgetAccount();
        await setMeta({ auth_expired: undefined });
        emit('auth');
        emit('data');
        go('/');
        announce('Your account and everything in it are deleted.');
      } catch (error) {
        message.textContent = problem(error);
        button.disabled = false;
      }
    },
  },
  h('p', {}, 'This deletes your account, your whole diary on every device, your settings and sharing, '
    + 'and the list of who read your diary. It cannot be undone. Download a copy first if you may want it.'),
  waiting ? h('p', { class: 'advice' }, `${waiting} ${waiting === 1 ? 'entry on this device has' : 'entries on this device have'} `
    + 'not synced yet. They will be deleted too, and are not in the download.') : null,
  field('Your password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    'Asked again so that nobody else holding your phone can delete the account.'),
  message,
  h('button', { type: 'submit', class: 'danger' }, 'Delete my account'));
  return h('section', { class: 'card', 'aria-labelledby': 'erase-h' }, h('h2', { id: 'erase-h' }, 'Delete your account'), form);
}

export default async function data() {
  if (!(await getMeta('token'))) {
    return h('div', { class: 'view' }, heading('Your data'),
      h('p', {}, 'Sign in to see who read your diary, download it or delete your account. '
        + 'Until then, everything you log stays on this device only.'),
      h('a', { href: '#/signin', class: 'button primary' }, 'Sign in'));
  }
  return h('div', { class: 'view' },
    heading('Your data'),
    await trail(),
    download(),
    await erase());
}
