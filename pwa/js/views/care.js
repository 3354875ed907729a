// Sharing with a physiotherapist: accept an invite code (after seeing what it shares), or stop.
import { h, heading, field, announce } from '../dom.js';
import { api } from '../api.js';
import { go } from '../router.js';

function problem(error) {
  if (error.status === 0) return 'This needs the internet. Try again when you are online.';
  if (error.status === 404) return 'That code is wrong, used or expired. Ask for a new one.';
  if (error.status === 401) return 'Sign in first.';
  return error.body?.fields ? Object.values(error.body.fields).flat().join(' ') : error.message;
}

/** Whether this service checked that the physio is one: anyone can open such an account. */
function vouched(physio) {
  return physio.verified
    ? h('p', { class: 'verified' }, `This service has verified that ${physio.display_name} (${physio.email}) is a physiotherapist.`)
    : h('p', { class: 'unverified' }, `Not verified: this service has not checked that ${physio.display_name} `
      + `(${physio.email}) is a physiotherapist. Anyone can open such an account, so share only with someone you know.`);
}

function codeForm(message) {
  let previewed = null;
  const details = h('div', {});
  return h('form', {
    class: 'stack',
    async onsubmit(event) {
      event.preventDefault();
      const code = event.target.elements.code.value;
      message.textContent = '';
      try {
        if (previewed !== code) {
          const preview = await api('POST', '/care/invites/preview', { code });
          previewed = code;
          details.replaceChildren(h('div', { class: 'advice' },
            h('p', { class: 'level' }, `${preview.physio.display_name} will see:`),
            vouched(preview.physio),
            h('ul', {}, preview.shares.map((line) => h('li', {}, line)))));
          event.target.querySelector('button[type=submit]').textContent = 'Share my diary';
          return;
        }
        await api('POST', '/care/links', { code });
        announce('Sharing started');
        go('/care');
      } catch (error) {
        message.textContent = problem(error);
      }
    },
  }, field('Invite code', h('input', { name: 'code', required: true, autocomplete: 'off', autocapitalize: 'characters' }),
    'The code your physiotherapist gave you.'), details, h('button', { type: 'submit', class: 'primary' }, 'Check the code'));
}

function linkItem(link, message) {
  const name = link.physio.display_name;
  const stop = async () => {
    try {
      await api('DELETE', `/care/links/${link.id}`);
      announce(`Stopped sharing with ${name}`);
      go('/care');
    } catch (error) {
      message.textContent = problem(error);
    }
  };
  return h('li', { class: 'card' },
    h('p', { class: 'title' }, name),
    h('p', { class: 'hint' }, `Sharing since ${new Date(link.created_at).toLocaleDateString()}`
      + (link.physio.verified ? '' : ' · not verified as a physiotherapist')),
    h('button', {
      type: 'button', class: 'warn',
      onclick(event) {
        // Asked once more: stopping cuts the physio off at once, and only a new code undoes it.
        event.currentTarget.replaceWith(h('div', { class: 'advice', role: 'alert' },
          h('p', {}, `${name} will no longer see your diary from now on. To share again you will need a new invite code.`),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'warn', onclick: stop }, 'Stop sharing'),
            h('button', { type: 'button', onclick: () => go('/care') }, 'Keep sharing'))));
      },
    }, `Stop sharing with ${name}`));
}

export default async function care() {
  const message = h('p', { class: 'error', role: 'alert' });
  let links = null;
  try {
    links = (await api('GET', '/care/links')).filter((link) => link.active);
  } catch (error) {
    message.textContent = problem(error);
  }
  return h('div', { class: 'view' },
    heading('Your physiotherapist'),
    h('p', {}, 'Share your diary with a physiotherapist so they can follow your progress, comment and set you exercises.'),
    links?.length ? h('ul', { class: 'cards' }, links.map((link) => linkItem(link, message))) : null,
    links?.length ? h('a', { href: '#/data', class: 'button' }, 'See who read your diary') : null,
    links ? codeForm(message) : null,
    message);
}
