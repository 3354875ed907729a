// Time for holds and routines: a pausable stopwatch, the marks of a count-up hold, and a
// runner that walks through a routine's timeline. Elapsed time comes from the clock, never
// from counting ticks, so a throttled tab still shows and saves the right duration.

export const LONG_CRAMP_S = 600;

export class Stopwatch {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.before = 0;
    this.since = null;
  }

  get running() {
    return this.since != null;
  }

  start() {
    if (this.since == null) this.since = this.now();
  }

  pause() {
    if (this.since == null) return;
    this.before += this.now() - this.since;
    this.since = null;
  }

  /** Seconds counted so far (fractional). */
  elapsed() {
    return (this.before + (this.since == null ? 0 : this.now() - this.since)) / 1000;
  }
}

/** Marks of a hold that counts up until release: the target, every 30 s after it, 10 minutes. */
export function holdMarks(target) {
  const marks = [target];
  for (let s = target + 30; s < LONG_CRAMP_S; s += 30) marks.push(s);
  marks.push(LONG_CRAMP_S);
  return marks;
}

/**
 * Walks a timeline ({type, label, duration_s, until_release, target_s, ...} steps).
 * Timed steps end by themselves; a hold `until_release` counts up, fires its marks,
 * and ends on release(). Calls onChange() after every transition, onCue(kind, detail) for
 * the cues ('mark', 'switch', 'next', 'done').
 */
export class Runner {
  constructor(steps, { onChange = () => {}, onCue = () => {}, now } = {}) {
    this.steps = steps;
    this.onChange = onChange;
    this.onCue = onCue;
    this.now = now;
    this.index = -1;
    this.completed = 0;
    this.spent = 0;
    this.done = false;
    this.paused = false;
  }

  get step() {
    return this.steps[this.index] || null;
  }

  /** Seconds spent in the current step. */
  elapsed() {
    return this.watch ? this.watch.elapsed() : 0;
  }

  /** Seconds left in a timed step (null for a hold until release). */
  remaining() {
    const step = this.step;
    if (!step || step.until_release) return null;
    return Math.max(0, (step.duration_s || 0) - this.elapsed());
  }

  start(index = 0) {
    this.enter(index);
    this.ticking = setInterval(() => this.tick(), 200);
  }

  enter(index) {
    if (this.watch) this.spent += this.watch.elapsed();
    this.index = index;
    if (index >= this.steps.length) return this.finish();
    this.watch = new Stopwatch(this.now);
    if (!this.paused) this.watch.start();
    const step = this.step;
    this.marks = step.until_release ? holdMarks(step.target_s || 30) : [];
    if (step.type === 'switch_side') this.onCue('switch', step);
    else if (index > 0) this.onCue('next', step);
    this.onChange();
  }

  tick() {
    if (this.done || this.paused) return;
    const elapsed = this.elapsed();
    while (this.marks.length && elapsed >= this.marks[0]) this.onCue('mark', this.marks.shift());
    if (!this.step.until_release && elapsed >= (this.step.duration_s || 0)) this.advance(true);
    else this.onChange();
  }

  advance(completed) {
    if (this.done) return;
    if (completed) this.completed += 1;
    this.enter(this.index + 1);
  }

  /** The person says the hold is over (the cramp let go, or they are ready). */
  release() {
    this.advance(true);
  }

  skip() {
    this.advance(false);
  }

  pause() {
    this.paused = true;
    this.watch?.pause();
    this.onChange();
  }

  resume() {
    this.paused = false;
    this.watch?.start();
    this.onChange();
  }

  finish() {
    this.done = true;
    clearInterval(this.ticking);
    this.onCue('done');
    this.onChange();
  }

  /** Stop early without the completion cue. */
  stop() {
    if (this.watch && !this.done) this.spent += this.watch.elapsed();
    this.done = true;
    this.watch = null;
    clearInterval(this.ticking);
  }

  summary() {
    return {
      completed_steps: this.completed,
      total_steps: this.steps.length,
      duration_s: Math.round(this.spent + (this.done ? 0 : this.elapsed())),
    };
  }
}
