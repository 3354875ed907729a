// Dates as the diary needs them: local day boundaries and ISO 8601 with the local offset.

const pad = (n) => String(n).padStart(2, '0');

/** ISO 8601 with the device's UTC offset, e.g. 2024-05-01T22:10:00+01:00. */
export function isoLocal(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${inputValue(date)}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The value a datetime-local input shows for `date`. */
export function inputValue(date) {
  return `${dayKey(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function dayKey(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function isToday(iso, now = new Date()) {
  return dayKey(new Date(iso)) === dayKey(now);
}

/** "0:45" or "12:03" for a running clock. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** "45 s", "2 min 5 s" for people. */
export function duration(seconds) {
  if (seconds == null) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
}

export function timeOfDay(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function dayLabel(iso) {
  const date = new Date(iso);
  if (isToday(iso)) return 'Today';
  if (isToday(new Date(date.getTime() + 864e5).toISOString())) return 'Yesterday';
  return date.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
}

/** Whether the time `now` falls in the window "HH:MM"-"HH:MM", which may cross midnight. */
export function inWindow(now, start, end) {
  const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const t = now.getHours() * 60 + now.getMinutes();
  const [a, b] = [minutes(start), minutes(end)];
  return a <= b ? t >= a && t < b : t >= a || t < b;
}
