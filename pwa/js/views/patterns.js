// Your patterns: a few comparisons of a diary (server/patterns.py), worked out on the server;
// the last answer is kept on the device (and forgotten with the account), so it shows offline
// too. The physio's patient page draws the same section.
import { h, heading } from '../dom.js';
import { api } from '../api.js';
import { getMeta, setMeta } from '../db.js';
import { TRIGGERS } from '../labels.js';

function comparison(item) {
  const [days, otherDays] = item.days;
  const [group, otherGroup] = item.groups;
  const episodes = item.episodes[0] + item.episodes[1];
  return h('li', { class: 'pattern' },
    h('p', { class: 'title' }, item.title),
    h('p', {}, item.text),
    h('p', { class: 'hint' }, `${days} ${group}, ${otherDays} ${otherGroup}; ${episodes} cramps.`));
}

/** A section with every comparison and the most tagged triggers; `intro` says whose diary. */
export function patternSection(data, { id, intro }) {
  const triggers = data.triggers.length
    ? h('ul', {}, data.triggers.map((t) => h('li', {}, `${TRIGGERS[t.trigger] || t.trigger}: on ${t.share}% of the cramps (${t.episodes})`)))
    : h('p', { class: 'hint' }, 'No triggers tagged yet.');
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, 'What comes before the cramps'),
    h('p', { class: 'hint' }, intro),
    h('ul', { class: 'plain stack' }, data.comparisons.map(comparison)),
    h('h3', {}, 'Triggers tagged most'),
    triggers);
}

export default async function patterns() {
  let kept;
  try {
    kept = { data: await api('GET', '/me/patterns'), at: Date.now() };
    await setMeta({ patterns: kept });
  } catch (error) {
    kept = error.status === 0 && await getMeta('patterns');
  }
  const view = h('div', { class: 'view' }, heading('Your patterns'));
  if (!kept) {
    view.append(h('p', { role: 'alert' }, 'Your patterns come from your synced diary: sign in, and open this page once while online.'));
    return view;
  }
  const { data } = kept;
  view.append(
    h('p', {}, 'Your own pattern, not medical advice. Most differences in a few weeks of diary are chance; only one that chance would rarely give is called clear.'),
    patternSection(data, { id: 'patterns-h', intro: `Your last ${data.days} days and ${data.episodes} cramps, as of ${new Date(kept.at).toLocaleDateString()}.` }),
    h('p', {}, h('a', { href: '#/help' }, 'When to get help')));
  return view;
}
