// Cues for people who are not looking at the screen: vibration, a short tone, and keeping
// the screen awake while a timer runs. Night mode is silent.
import * as store from './store.js';

const PATTERNS = { mark: [200, 100, 200], switch: [120, 80, 120, 80, 120], next: [250], done: [500] };
const TONES = { mark: [880, 880], switch: [660, 880, 660], next: [660], done: [523, 659, 784] };
let audio = null;
let lock = null;
let wanted = false;

/** Create the audio context inside a tap, as browsers require. */
export function unlockAudio() {
  const Context = self.AudioContext || self.webkitAudioContext;
  if (!Context) return;
  audio ??= new Context();
  if (audio.state === 'suspended') audio.resume().catch(() => {});
}

function tone(frequencies) {
  if (!audio || audio.state !== 'running') return;
  frequencies.forEach((frequency, i) => {
    const start = audio.currentTime + i * 0.18;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.16);
  });
}

/** Vibrate and sound for `kind` as the person's preferences and night mode allow. */
export function cue(kind) {
  const { prefs, night } = store.get();
  if (prefs.vibration && navigator.vibrate) navigator.vibrate(PATTERNS[kind] || [200]);
  if (prefs.sound && !night) tone(TONES[kind] || [660]);
}

async function acquire() {
  if (!wanted || lock || !navigator.wakeLock || document.visibilityState !== 'visible') return;
  try {
    lock = await navigator.wakeLock.request('screen');
    lock.addEventListener('release', () => { lock = null; });
  } catch {
    lock = null; // Refused (battery saver, permissions): the timer still runs.
  }
}

/** Keep the screen on until release() is called. */
export function keepAwake() {
  wanted = true;
  acquire();
  document.addEventListener('visibilitychange', acquire);
  return function release() {
    wanted = false;
    document.removeEventListener('visibilitychange', acquire);
    lock?.release().catch(() => {});
    lock = null;
  };
}
