// Home: the two cramp buttons, one-tap water, today's routine and what the physio said.
import { h, heading, swap } from '../dom.js';
import { go } from '../router.js';

// Only the buttons are in the start-up graph. The cards read the replica and the catalogue,
// and come with the sound cues; they load once the buttons are on screen.
const cards = () => import('./cards.js');
let unlockAudio = () => {};
let marked = false;

export default async function home(params, ctx) {
  const live = h('div', { class: 'stack' });
  const fill = async () => swap(live, await (await cards()).default());
  let left = false;
  const view = h('div', { class: 'view home' },
    heading('Today'),
    h('div', { class: 'actions' },
      // Audio can only be unlocked inside a tap: this one does it once the cues have loaded
      // (with the cards), and the muscle picker's tap does it in any case.
      h('button', { type: 'button', class: 'big danger', onclick: () => { unlockAudio(); go('/cramp'); } }, 'Cramping now'),
      h('button', { type: 'button', class: 'big', onclick: () => go('/log') }, 'Log a cramp')),
    live);
  ctx.onData(fill);
  ctx.onLeave(() => { left = true; });
  cards().then((module) => {
    unlockAudio = module.unlockAudio;
    if (!left) ctx.onLeave(module.followPrefs(fill));
  });
  if (!marked) {
    // The home's actions are on screen from here; the cards below fill in from the database.
    marked = true;
    addEventListener('unknot:rendered', () => performance.mark('unknot:home'), { once: true });
  }
  fill();
  return view;
}
