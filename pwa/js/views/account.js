// Sign in and create an account.
import { h, heading, field } from '../dom.js';
import { go } from '../router.js';
import { signIn as startSignIn, signUp as startSignUp, strandedBy } from '../auth.js';
import { getMeta } from '../db.js';

function problem(error) {
  if (error.status === 0) return 'No connection. Signing in needs the internet; your entries are safe here meanwhile.';
  if (error.status === 401) return 'That email and password do not match an account.';
  if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
  const fields = error.body?.fields;
  if (fields) return Object.values(fields).flat().join(' ');
  return error.message;
}

function authForm(title, submitLabel, inputs, submit, footer) {
  const message = h('p', { class: 'error', role: 'alert' });
  let confirmed = false;
  const form = h('form', {
    class: 'stack',
    async onsubmit(event) {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(event.target));
      const stranded = await strandedBy(values.email);
      if (stranded && !confirmed) {
        confirmed = true;
        message.textContent = `${stranded} entries of the last account on this device have not synced. If you continue as another account they will be deleted from this device. Press "${submitLabel}" again to continue.`;
        return;
      }
      const button = event.target.querySelector('button[type=submit]');
      button.disabled = true;
      message.textContent = '';
      try {
        await submit(values);
        go('/');
      } catch (error) {
        message.textContent = problem(error);
      } finally {
        button.disabled = false;
      }
    },
  }, inputs, message, h('button', { type: 'submit', class: 'big primary' }, submitLabel));
  return h('div', { class: 'view' }, heading(title), form, footer);
}

export async function signIn() {
  const last = await getMeta('user');
  return authForm('Sign in', 'Sign in', [
    field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true, value: last?.email || '' })),
    field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
  ], (v) => startSignIn(v.email, v.password),
  h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')));
}

export function signUp() {
  return authForm('Create an account', 'Create account', [
    field('Name', h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: 100 })),
    field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true })),
    field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }), 'At least 8 characters.'),
  ], (v) => startSignUp(v.name, v.email, v.password),
  h('p', {}, 'Have an account? ', h('a', { href: '#/signin' }, 'Sign in')));
}
