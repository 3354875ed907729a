// When to get help: warning-sign questions with plain advice. No diagnosis, ever.
import { h, heading, chips } from '../dom.js';
import { LEVELS, RED_FLAGS } from '../labels.js';
import { judge } from '../records.js';
import { isoLocal } from '../time.js';

const ALWAYS = [
  'A cramp that lasts more than 10 minutes without easing: get help today.',
  'A wound with soil or dirt in it in the last few weeks: ask about a tetanus check today.',
  'Cramps that keep waking you, come often, last long or get stronger: see your doctor.',
  'A spasm after an injury, or stiffness after a stroke or a spine injury: this needs a clinician, not self-care.',
  'Taking water tablets (diuretics) or statins and getting cramps: ask your doctor to review your medicines.',
];

/**
 * The advice box for an assessment: how soon, then each fired rule's own message, most serious
 * first, as a live region so that changes are read out.
 */
export function advice({ level, flags }) {
  const { label, advice: general } = LEVELS[level];
  return h('div', { class: `advice level-${level}`, role: 'status' }, h('p', { class: 'level' }, label),
    flags.map((flag) => h('p', { class: 'rule', 'data-rule': flag.rule }, flag.message)),
    // The numbers to call, in case the message is read far from home.
    level === 'emergency' ? h('p', {}, general) : null);
}

/** Before the rules have ever been downloaded: no verdict, but never silence about a sign. */
function noRules() {
  return h('div', { class: 'advice level-urgent', role: 'status' },
    h('p', { class: 'level' }, 'Advice not downloaded yet'),
    h('p', {}, 'This phone has not fetched the warning-sign advice yet. With any of these signs, do not wait: call your doctor or a health advice line today, or the emergency number if it feels serious.'));
}

/**
 * What a cramp's warning signs mean, judged as the server will (records.judge). `entry()`
 * returns the cramp to judge; `key()` its own key once it is saved, so that it is not counted
 * twice. Nothing is said until a rule fires: no "self-care is fine" over an empty form.
 */
export function adviceFor(entry, key = () => null) {
  const box = h('div', { class: 'advice-slot' });
  // The signs make a long list: a bar stays in sight at the bottom with the level, one tap
  // from the full advice, so that a sign ticked far down is never answered off-screen.
  const bar = h('button', { type: 'button', class: 'verdict-bar', hidden: true,
    onclick: () => box.scrollIntoView({ behavior: 'smooth', block: 'start' }) });
  let asked = 0;
  const update = async () => {
    const turn = ++asked;
    const data = entry();
    let verdict;
    try {
      verdict = await judge(data, key());
    } catch {
      return; // a half-typed time cannot be judged yet: keep the last advice
    }
    if (turn !== asked) return; // a later answer is already on its way
    if (!verdict) box.replaceChildren(data.red_flags.length ? noRules() : '');
    else box.replaceChildren(verdict.flags.length ? advice(verdict) : '');
    const level = verdict?.flags.length ? verdict.level : (!verdict && data.red_flags.length ? 'urgent' : null);
    bar.hidden = !level;
    if (level) {
      bar.className = `verdict-bar level-${level}`;
      bar.textContent = `${LEVELS[level].label}: what to do`;
    }
  };
  update();
  return { element: box, bar, update };
}

/**
 * The warning-sign questions. `state` holds {flags, context}; `entry(state)` builds the cramp
 * to judge from it; onchange(state) runs after each answer.
 */
export function helpPanel(state, onchange = () => {}, entry = standalone, key = () => null) {
  const verdict = adviceFor(() => entry(state), key);
  const update = () => { verdict.update(); onchange(state); };
  const signs = chips('Do you have any of these now?', RED_FLAGS, state.flags, {
    onchange(flags) { state.flags = flags; update(); },
  });
  const where = chips('Did it start during exercise or just after?', { exercise: 'Yes', other: 'No' },
    [state.context === 'exercise' ? 'exercise' : 'other'], {
      single: true, onchange(value) { state.context = value === 'exercise' ? 'exercise' : (state.night ? 'night' : 'other'); update(); },
    });
  const panel = h('div', { class: 'help' }, where.element, signs.element,
    h('p', { class: 'hint' }, 'Tick any sign you have now: what to do appears below.'),
    verdict.bar,
    verdict.element,
    h('h2', {}, 'Also get help for'),
    h('ul', { class: 'plain' }, ALWAYS.map((line) => h('li', {}, line))),
    h('p', { class: 'hint' }, 'Unknot gives self-care guidance and keeps a diary; it cannot tell what is causing your symptoms. If in doubt, ask a doctor.'),
    h('a', { href: '#/about', class: 'button' }, 'About cramps'));
  // Judge again when shown: a cramp held for a while has a longer duration by now.
  panel.refresh = verdict.update;
  return panel;
}

/** A cramp happening now, as the help page knows it: only the signs and where it started. */
function standalone(state) {
  return {
    kind: 'cramp', occurred_at: isoLocal(), muscle: 'other', side: 'both', intensity: 5,
    duration_s: null, context: state.context || 'other', triggers: [], reliefs: [],
    red_flags: state.flags, note: '',
  };
}

export default function help() {
  return h('div', { class: 'view' }, heading('When to get help'), helpPanel({ flags: [], context: 'other' }));
}
