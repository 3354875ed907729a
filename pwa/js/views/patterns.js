// Your patterns: a few comparisons of a diary (server/patterns.py), worked out on the server;
// the last answer is kept on the device (and forgotten with the account), so it shows offline
// too. The physio's patient page draws the same section. The self-experiment's plan is the
// synced `experiment` settings (server/experiment.py): its blocks are drawn from the device's
// copy, so they show offline; its answer comes with the patterns.
import { h, heading, chips } from '../dom.js';
import { api } from '../api.js';
import { getMeta, setMeta, record } from '../db.js';
import { saveSettings } from '../outbox.js';
import { dayKey } from '../time.js';
import { TRIGGERS } from '../labels.js';

const HABITS = {
  'evening-stretch': ['Evening stretch', 'Do the evening calf and hamstring routine before bed.', 'Skip the evening routine (stretch a cramp as ever).'],
  'drink-target': ['Drinks target', 'Reach your drinks target, spread over the day.', 'Drink to thirst; drink reminders pause.'],
  'evening-taper': ['Evening taper', 'Finish drinking two hours before bed (sips with medicines or in a cramp are fine).', 'Drink in the evening as you usually do.'],
};
const day = (iso, n) => { const [y, m, d] = iso.split('-'); return dayKey(new Date(y, m - 1, +d + n)); };
const date = (iso) => new Date(`${iso}T12:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

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
  const trial = data.experiment?.result;
  const triggers = data.triggers.length
    ? h('ul', {}, data.triggers.map((t) => h('li', {}, `${TRIGGERS[t.trigger] || t.trigger}: on ${t.share}% of the cramps (${t.episodes})`)))
    : h('p', { class: 'hint' }, 'No triggers tagged yet.');
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, 'What comes before the cramps'),
    h('p', { class: 'hint' }, intro),
    h('ul', { class: 'plain stack' }, (trial ? [trial, ...data.comparisons] : data.comparisons).map(comparison)),
    h('h3', {}, 'Triggers tagged most'),
    triggers);
}

/** Blocks of `plan` in order: 8 weeks, each pair one with the habit and one without, at random. */
function propose(habit, size) {
  const blocks = [...crypto.getRandomValues(new Uint8Array(56 / size / 2))]
    .flatMap((r) => (r & 1 ? ['with', 'without'] : ['without', 'with']));
  return { habit, started_on: dayKey(new Date()), block_days: size, blocks, remind: true, stopped_on: null };
}

function blockList(plan, current) {
  return h('ol', { class: 'stack' }, plan.blocks.map((kind, i) => h('li', { 'aria-current': i === current && 'step' },
    `${date(day(plan.started_on, i * plan.block_days))} to ${date(day(plan.started_on, (i + 1) * plan.block_days - 1))}: ${kind} it`)));
}

async function chooser(render) {
  // A doctor's fluid limit is a ceiling: drinking to a target is not a habit to test then.
  const limited = (await record('settings', 'hydration'))?.data?.fluid_limit_ml;
  const habits = Object.entries(HABITS).filter(([k]) => !(limited && k === 'drink-target'));
  let habit = 'evening-stretch';
  let size = 7;
  let plan;
  const list = h('div');
  const show = () => {
    const [, yes, no] = HABITS[habit];
    list.replaceChildren(h('p', {}, h('strong', {}, 'With it: '), yes, h('br'), h('strong', {}, 'Without it: '), no), blockList(plan = propose(habit, size)));
  };
  show();
  return [
    h('h2', { id: 'trial-h' }, 'Try a habit for yourself'),
    h('p', {}, '8 weeks in blocks with a habit and without it, in random order, with a reminder the morning each new block starts; then your cramps are compared. If a physio set your plan, ask them first.'),
    chips('Habit', Object.fromEntries(habits.map(([k, [t]]) => [k, t])), [habit], { single: true, onchange: (v) => { habit = v; show(); } }).element,
    chips('Blocks of', { 7: '1 week', 14: '2 weeks' }, ['7'], { single: true, onchange: (v) => { size = +v; show(); } }).element,
    list,
    h('button', { class: 'big', onclick: async () => { await saveSettings('experiment', plan); render(); } }, 'Start today'),
  ];
}

async function experiment(data, render) {
  const plan = (await record('settings', 'experiment'))?.data;
  const section = h('section', { class: 'card', 'aria-labelledby': 'trial-h' });
  const today = dayKey(new Date());
  if (!plan) {
    section.append(...await chooser(render));
    return section;
  }
  const end = plan.stopped_on || day(plan.started_on, plan.blocks.length * plan.block_days);
  const [title, yes, no] = HABITS[plan.habit];
  section.append(h('h2', { id: 'trial-h' }, `Your experiment: ${title}`));
  if (end > today) {
    const current = Math.max(0, Math.floor((new Date(today) - new Date(plan.started_on)) / 864e5 / plan.block_days));
    section.append(
      h('p', { class: 'title' }, `Block ${current + 1} of ${plan.blocks.length}, until ${date(day(plan.started_on, (current + 1) * plan.block_days - 1))}: ${plan.blocks[current] === 'with' ? yes : no}`),
      blockList(plan, current),
      h('p', { class: 'hint' }, 'The answer comes at the end: an early look makes chance look like a finding. If cramps get worse, stop and get help.'),
      h('button', { onclick: async () => {
        if (!confirm('Stop now? Only the days so far will be compared.')) return;
        await saveSettings('experiment', { ...plan, stopped_on: today });
        render();
      } }, 'Stop early'));
    return section;
  }
  const report = data?.experiment;
  section.append(...(report?.started_on === plan.started_on && report.result
    ? [h('p', {}, report.result.text), h('p', { class: 'hint' }, report.note)]
    : [h('p', {}, 'It is over: the answer comes with your next sync.')]),
  h('button', { onclick: async () => section.replaceChildren(...await chooser(render)) }, 'Try another habit'));
  return section;
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
  const render = async () => view.replaceChildren(...(await patterns()).children);
  view.append(await experiment(kept?.data, render));
  if (!kept) {
    view.append(h('p', { role: 'alert' }, 'Your patterns come from your synced diary: sign in, and open this page once while online.'));
    return view;
  }
  const { data } = kept;
  view.append(
    h('p', {}, 'Your own pattern, not medical advice. Most differences in a few weeks are chance; only one chance would rarely give is called clear.'),
    patternSection({ ...data, experiment: null }, { id: 'patterns-h', intro: `Your last ${data.days} days and ${data.episodes} cramps, as of ${date(dayKey(new Date(kept.at)))}.` }),
    h('p', {}, h('a', { href: '#/help' }, 'When to get help')));
  return view;
}
