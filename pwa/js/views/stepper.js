// Runs a routine's timeline on screen: the step, its clock, how to do it, and the controls.
import { h, announce } from '../dom.js';
import { picture } from '../drawings.js';
import { Runner, LONG_CRAMP_S } from '../timer.js';
import { cue, keepAwake } from '../cues.js';
import { clock, duration } from '../time.js';
import { SIDES } from '../labels.js';

function howTo(exercise) {
  if (!exercise) return null;
  return h('details', { class: 'how', open: true },
    h('summary', {}, exercise.name),
    h('ol', {}, exercise.steps.map((text) => h('li', {}, text))),
    exercise.alternative && h('p', { class: 'hint' }, exercise.alternative),
    exercise.cautions?.length ? h('ul', { class: 'cautions' }, exercise.cautions.map((text) => h('li', {}, text))) : null);
}

function markText(seconds) {
  if (seconds >= LONG_CRAMP_S) return 'Over 10 minutes. If it is not easing, get medical help today.';
  return `${duration(seconds)} reached. Keep holding gently until it lets go.`;
}

/**
 * Build the stepper for `steps`. Options: exercises (by slug), releaseLabel (the button that
 * ends a hold until release), extras (nodes shown under the controls), onRelease(index,
 * heldSeconds), onSkip(index, heldSeconds) before a step is skipped, onDone(summary),
 * onStop(summary, { index, held }) with the step stopped in and its seconds so far.
 */
export function stepper(steps, { exercises = {}, releaseLabel = 'Done', extras = [], onRelease, onSkip, onDone, onStop } = {}) {
  const clockText = h('p', { class: 'clock', role: 'timer', 'aria-live': 'off' }, '0:00');
  const note = h('p', { class: 'mark', 'aria-live': 'polite' });
  const body = h('div', {});
  const element = h('section', { class: 'stepper', 'data-marks': '0' }, body);
  let shown = -1;
  let releaseWake = null;
  let marks = 0;
  let reported = false;

  const runner = new Runner(steps, {
    onChange: () => update(),
    onCue(kind, detail) {
      cue(kind);
      if (kind === 'mark') {
        marks += 1;
        element.dataset.marks = String(marks);
        note.textContent = markText(detail);
        announce(note.textContent);
      } else if (kind === 'switch') announce('Switch sides');
      else if (kind === 'next') announce(detail.label);
    },
  });

  const pauseButton = h('button', { type: 'button', onclick: () => (runner.paused ? runner.resume() : runner.pause()) }, 'Pause');
  const controls = h('div', { class: 'row controls' }, pauseButton,
    h('button', { type: 'button', onclick: () => { onSkip?.(runner.index, runner.elapsed()); runner.skip(); } }, 'Skip'),
    h('button', {
      type: 'button',
      onclick: () => {
        const at = { index: runner.index, held: runner.elapsed() };
        stop();
        onStop?.(runner.summary(), at);
      },
    }, 'Stop'));

  function release() {
    onRelease?.(runner.index, runner.elapsed());
    runner.release();
  }

  function sleep() {
    releaseWake?.();
    releaseWake = null;
  }

  function stop() {
    reported = true;
    runner.stop();
    sleep();
  }

  function renderStep() {
    const step = runner.step;
    shown = runner.index;
    note.textContent = '';
    const next = steps[runner.index + 1];
    // The step's primary action sits right under the clock, so it shows without scrolling on a
    // small phone; the controls that end or skip the step keep their distance below it.
    body.replaceChildren(...[
      steps.length > 1 ? h('p', { class: 'progress' }, `Step ${runner.index + 1} of ${steps.length}`) : null,
      h('h2', { class: 'step' }, step.label),
      step.side ? h('p', { class: 'side' }, `${SIDES[step.side]} side`) : null,
      step.until_release ? h('p', { class: 'target' }, `Aim for ${duration(step.target_s || 30)}, then keep going until it lets go.`) : null,
      step.exercise ? picture(step.exercise, 'step-pose') : null,
      clockText,
      note,
      step.until_release ? h('button', { type: 'button', class: 'big primary release', onclick: release }, releaseLabel) : null,
      controls,
      ...extras,
      step.type === 'hold' || step.type === 'rep' ? howTo(exercises[step.exercise]) : null,
      next ? h('p', { class: 'next' }, `Next: ${next.label.replace(/^Next: /, '')}`) : null,
    ].filter(Boolean));
  }

  function update() {
    if (runner.done) {
      if (!reported) { stop(); onDone?.(runner.summary()); }
      return;
    }
    if (runner.index !== shown) renderStep();
    const remaining = runner.remaining();
    clockText.textContent = clock(remaining == null ? runner.elapsed() : Math.ceil(remaining));
    pauseButton.textContent = runner.paused ? 'Resume' : 'Pause';
  }

  return {
    element,
    runner,
    start(index = 0) {
      releaseWake = keepAwake();
      runner.start(index);
    },
    stop,
    pause() { runner.pause(); sleep(); },
    resume() { releaseWake ??= keepAwake(); runner.resume(); },
  };
}
