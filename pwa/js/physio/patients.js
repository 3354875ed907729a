// The physio's start page: consenting patients, most in need of attention first, each reason
// in words; and inviting a new one.
import { h, heading } from '../dom.js';
import { api } from '../api.js';
import { badge, day, frame, loading } from './frame.js';
import { inviteForm } from './invite.js';

/** The reasons a patient needs attention, in words (or that none does). */
export function reasons(patient) {
  if (!patient.reasons.length) return h('p', { class: 'hint' }, 'Nothing needs your attention.');
  return h('ul', { class: 'reasons' }, patient.reasons.map((reason) => h('li', { 'data-code': reason.code }, reason.text)));
}

function card(patient) {
  return h('li', { class: 'card patient', 'data-level': patient.level || 'none' },
    h('div', { class: 'row title-row' },
      h('h2', {}, h('a', { href: `#/patients/${patient.id}` }, patient.display_name)),
      badge(patient.level)),
    reasons(patient),
    h('p', { class: 'hint' }, [
      patient.last_sync_at && `Last synced ${day(patient.last_sync_at)}`, `Sharing since ${day(patient.linked_at)}`,
      patient.reviewed_at && `Reviewed ${day(patient.reviewed_at)}`].filter(Boolean).join(' · ')));
}

async function listing() {
  const patients = await api('GET', '/care/patients');
  if (!patients.length) {
    return h('p', {}, 'No patients share their diary with you yet. Create an invite code and give it to your patient.');
  }
  return [
    h('p', { class: 'hint' }, `${patients.length} ${patients.length === 1 ? 'patient' : 'patients'}, most in need of attention first.`),
    h('ul', { class: 'cards patients' }, patients.map(card)),
  ];
}

/** Unverified accounts are told what their patients see, and how verification happens. */
async function standing() {
  const me = await api('GET', '/me').catch(() => null);  // the list below says what failed
  if (!me || me.verified) return [];
  return h('p', { class: 'advice' }, 'Your account is not verified. Patients you invite are told that this service '
    + 'has not checked that you are a physiotherapist. The operator of this server verifies accounts on request.');
}

export default function patients(params, ctx) {
  const area = h('section', { 'aria-labelledby': 'patients-h', class: 'stack' },
    h('div', { class: 'row title-row' },
      h('h2', { id: 'patients-h' }, 'Patients'),
      h('button', { type: 'button', onclick: () => area.lastChild.replaceWith(loading('Loading patients…', listing)) }, 'Refresh list')),
    loading('Loading patients…', listing));
  return frame(ctx, heading('Your patients'), loading('', standing),
    h('div', { class: 'columns' }, area, h('aside', {}, inviteForm())));
}
