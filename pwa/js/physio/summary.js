// The patient view's summary: headline numbers, warning signs, and before against after.
import { h } from '../dom.js';
import { duration } from '../time.js';
import { badge } from './frame.js';

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

// A date as the patient lived it: "3 Nov" (the server sends the patient's own calendar day).
const shortDay = (iso) => new Date(`${iso}T12:00:00`).toLocaleDateString([], { day: 'numeric', month: 'short' });
const SHOWN_DATES = 8;

/** Warning signs grouped by the rule that raised them: the concern, its level, how often, when. */
export function warnings(groups) {
  return h('section', { class: 'card', 'aria-labelledby': 'warnings-h' },
    h('h2', { id: 'warnings-h' }, 'Warning signs'),
    groups.length
      ? h('ul', { class: 'plain warning-groups' }, groups.map((group) => {
        const dates = group.dates.slice(0, SHOWN_DATES).map(shortDay).join(', ');
        const more = group.count > SHOWN_DATES ? ` and ${group.count - SHOWN_DATES} earlier` : '';
        return h('li', { class: 'warning' },
          h('p', { class: 'row' }, badge(group.level), h('span', { class: 'title' }, group.title),
            h('span', { class: 'count' }, group.count === 1 ? 'once' : `${group.count} times`)),
          h('p', { class: 'hint' }, `${group.count === 1 ? 'On' : 'Latest on'} ${dates}${more}.`));
      }))
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
        h('div', { class: 'row title-row' },
          h('p', { class: 'title' }, `${item.title}, from ${item.start_date}`),
          h('p', { class: 'change' }, change(item))),
        h('p', {}, item.text, item.complete ? null
          : h('span', { class: 'hint' }, ' Provisional.')))))
      : h('p', {}, 'Assign a programme or a routine to compare cramps a week before and after it starts.'));
}
