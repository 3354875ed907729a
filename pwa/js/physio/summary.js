// The patient view's summary: headline numbers, warning signs, and before against after.
import { h } from '../dom.js';
import { duration } from '../time.js';
import { badge, moment } from './frame.js';

function number(label, value) {
  return h('div', { class: 'number' }, h('dt', {}, label), h('dd', {}, value));
}

export function numbers(n) {
  return h('section', { class: 'card', 'aria-labelledby': 'numbers-h' },
    h('h2', { id: 'numbers-h' }, 'In numbers'),
    h('dl', { class: 'numbers' },
      number('Cramps', String(n.episodes)),
      number('Cramps a week', String(n.episodes_per_week)),
      number('Mean intensity', n.mean_intensity == null ? '–' : `${n.mean_intensity} of 10`),
      number('Intensity 7 or more', String(n.high_intensity)),
      number('At night', String(n.night)),
      number('During exercise', String(n.exercise)),
      number('Typical length', n.mean_duration_s == null ? '–' : duration(n.mean_duration_s)),
      number('Drinks logged', `${n.drinks} (${n.volume_ml} ml)`),
      number('Routines done', String(n.routines))));
}

export function warnings(signs) {
  return h('section', { class: 'card', 'aria-labelledby': 'warnings-h' },
    h('h2', { id: 'warnings-h' }, 'Warning signs'),
    signs.length
      ? h('ul', { class: 'plain' }, signs.map((sign) => h('li', { class: 'warning' },
        h('p', { class: 'row' }, h('time', { datetime: sign.occurred_at }, moment(sign.occurred_at)), badge(sign.level)),
        h('p', {}, sign.text))))
      : h('p', {}, 'None in this period.'));
}

function change(item) {
  if (item.change_pct == null) return '–';
  return `${item.change_pct > 0 ? '+' : ''}${item.change_pct}%`;
}

export function beforeAfter(items) {
  return h('section', { class: 'card', 'aria-labelledby': 'before-after-h' },
    h('h2', { id: 'before-after-h' }, 'Before and after'),
    items.length
      ? h('ul', { class: 'plain' }, items.map((item) => h('li', { class: 'before-after' },
        h('p', { class: 'title' }, `${item.title}, from ${item.start_date}`),
        h('p', { class: 'change' }, change(item)),
        h('p', {}, item.text),
        item.complete ? null : h('p', { class: 'hint' }, 'Provisional: two weeks have not passed since the start.'))))
      : h('p', {}, 'Assign a programme or a routine to compare cramps a week before and after it starts.'));
}
