// One patient: why they need attention, their numbers, charts and timeline; and the way back
// (comments and assignments), with exports of the period on screen.
import { h, heading, field, announce } from '../dom.js';
import { api } from '../api.js';
import { go } from '../router.js';
import { alertBox, badge, busy, day, frame, loading, moment } from './frame.js';
import { reasons } from './patients.js';
import { beforeAfter, numbers, warnings } from './summary.js';
import { patternSection } from '../views/patterns.js';
import { charts } from './charts.js';
import { timeline } from './timeline.js';
import { exports, handoutButton } from './exports.js';
import { commentForm } from './comment.js';
import { assignForm } from './assign.js';

const KIND_WORDS = { programme: 'Programme', routine: 'Routine from the catalogue', composed: 'Your routine' };

function attention(patient) {
  const message = alertBox();
  const box = h('section', { class: 'card', 'aria-labelledby': 'attention-h' },
    h('div', { class: 'row title-row' }, h('h2', { id: 'attention-h' }, 'Needs attention'), badge(patient.level)),
    reasons(patient),
    h('p', { class: 'hint' }, patient.reviewed_at ? `Last reviewed ${moment(patient.reviewed_at)}.` : 'Not reviewed yet.'),
    h('div', { class: 'row' }, h('button', {
      type: 'button',
      async onclick(event) {
        const card = await busy(event.currentTarget, message, () => api('POST', `/care/patients/${patient.id}/review`), 'Saving…');
        if (!card) return;
        const next = attention(card);
        box.replaceWith(next);
        next.querySelector('button').focus();
        announce('Marked as reviewed');
      },
    }, 'Mark reviewed')), message);
  return box;
}

function period(id, range) {
  return h('form', {
    class: 'row range',
    onsubmit(event) {
      event.preventDefault();
      const e = event.target.elements;
      go(`/patients/${id}?${new URLSearchParams({ from: e.from.value, to: e.to.value })}`);
    },
  },
  field('From', h('input', { name: 'from', type: 'date', required: true, value: range.from })),
  field('To', h('input', { name: 'to', type: 'date', required: true, value: range.to })),
  h('button', { type: 'submit' }, 'Show this period'));
}

const assignmentItem = (patientId) => (a) => h('li', { class: 'sent' },
  h('p', { class: 'title' }, a.title), h('p', { class: 'hint' }, `${KIND_WORDS[a.kind]}, from ${day(a.start_date)}`),
  a.note ? h('p', {}, a.note) : null, handoutButton(patientId, a));
const commentItem = (c) => h('li', { class: 'sent' },
  h('p', {}, c.text), h('p', { class: 'hint' }, `${moment(c.created_at)}${c.entry_key ? ', on an entry' : ''}`));

/** What was sent to the patient; returns {element, assignment(a), comment(c)} to add to it. */
function sentList(patient, assignments, comments) {
  const assigned = h('ul', { class: 'plain sent-list' }, assignments.map(assignmentItem(patient.id)));
  const said = h('ul', { class: 'plain sent-list' }, comments.map(commentItem));
  return {
    element: h('section', { class: 'card', 'aria-labelledby': 'sent-h' },
      h('h2', { id: 'sent-h' }, `Sent to ${patient.display_name}`),
      h('h3', {}, 'Assigned'), assigned, h('p', { class: 'hint' }, 'Nothing assigned.'),
      h('h3', {}, 'Comments'), said, h('p', { class: 'hint' }, 'No comments.')),
    assignment: (a) => assigned.prepend(assignmentItem(patient.id)(a)),
    comment: (c) => said.prepend(commentItem(c)),
  };
}

async function workspace(id, query, title) {
  const summary = await api('GET', `/care/patients/${id}/summary?${query}`);
  const person = summary.patient;
  title.textContent = person.display_name;
  const range = { from: summary.numbers.from, to: summary.numbers.to };
  const within = new URLSearchParams(range);
  const sent = sentList(person, summary.assignments, summary.comments);
  const comment = commentForm(person, (c) => { sent.comment(c); if (c.entry_key) line.noted(c); });
  const line = timeline(id, within, summary.comments, comment.about);
  // At a desk the charts and the before/after come first, beside why the patient needs
  // attention and their warning signs grouped by rule; the patterns, the numbers and the
  // timeline follow.
  return h('div', { class: 'columns' },
    h('div', { class: 'stack' },
      period(id, range), beforeAfter(summary.before_after), charts(id, within),
      patternSection(summary.patterns, { id: 'patterns-h', intro: `The patient's own diary, last ${summary.patterns.days} days: comparisons declared in advance, with 95% intervals.${trialNote(summary.patterns.experiment)}` }),
      numbers(summary.numbers), line.element),
    h('aside', { class: 'stack' },
      attention(person), warnings(summary.warning_groups),
      comment.element,
      loading('Loading the catalogue…', () => assignForm(person, sent.assignment)),
      sent.element, exports(id, range)));
}

export default function patient({ id, from, to }, ctx) {
  const query = new URLSearchParams(Object.entries({ from, to }).filter(([, value]) => value));
  const title = heading('Patient');
  return frame(ctx, title,
    loading('Loading the patient…', () => workspace(id, query, title)));
}

/** A self-experiment still running says so; one that is over heads the comparisons. */
function trialNote(trial) {
  if (trial?.status !== 'running') return '';
  return ` A self-experiment (${trial.title.toLowerCase()}) is in block ${trial.current + 1} of ${trial.blocks.length}; its answer comes on ${trial.ends_on}.`;
}
