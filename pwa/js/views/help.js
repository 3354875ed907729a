// When to get help: warning-sign questions with plain advice. No diagnosis, ever.
import { h, heading, chips } from '../dom.js';
import { LEVELS, RED_FLAGS } from '../labels.js';
import { levelOf } from '../vocab.js';

const ALWAYS = [
  'A cramp that lasts more than 10 minutes without easing: get help today.',
  'A wound with soil or dirt in it in the last few weeks: ask about a tetanus check today.',
  'Cramps that keep waking you, come often, last long or get stronger: see your doctor.',
  'A spasm after an injury, or stiffness after a stroke or a spine injury: this needs a clinician, not self-care.',
  'Taking water tablets (diuretics) or statins and getting cramps: ask your doctor to review your medicines.',
];

/** The advice box for a level, as a live region so that changes are read out. */
export function advice(level) {
  const { label, advice: text } = LEVELS[level];
  return h('div', { class: `advice level-${level}`, role: 'status' }, h('p', { class: 'level' }, label), h('p', {}, text));
}

/**
 * The warning-sign questions. `state` holds {flags, context, duration_s}; onchange(state)
 * runs after each answer.
 */
export function helpPanel(state, onchange = () => {}) {
  const box = h('div', {});
  const update = () => {
    box.replaceChildren(advice(levelOf(state.flags, state.context, state.duration_s || 0)));
    onchange(state);
  };
  const signs = chips('Do you have any of these now?', RED_FLAGS, state.flags, {
    onchange(flags) { state.flags = flags; update(); },
  });
  const where = chips('Did it start during exercise?', { exercise: 'Yes', other: 'No' },
    [state.context === 'exercise' ? 'exercise' : 'other'], {
      single: true, onchange(value) { state.context = value === 'exercise' ? 'exercise' : (state.night ? 'night' : 'other'); update(); },
    });
  update();
  return h('div', { class: 'help' }, where.element, signs.element, box,
    h('h2', {}, 'Also get help for'),
    h('ul', { class: 'plain' }, ALWAYS.map((line) => h('li', {}, line))),
    h('p', { class: 'hint' }, 'Unknot gives self-care guidance and keeps a diary; it cannot tell what is causing your symptoms. If in doubt, ask a doctor.'),
    h('a', { href: '#/about', class: 'button' }, 'About cramps'));
}

export default function help() {
  return h('div', { class: 'view' }, heading('When to get help'), helpPanel({ flags: [], context: 'other' }));
}
