// Exercise pictures on screen. The pictures module is large for the shell, so only the views
// that draw exercises import this, never the start-up path.
import PICTURES from './pictures.js';

/**
 * An exercise's picture: an <svg role="img"> labelled in words, drawn on the server from the
 * catalogue's pose (server/pictures.py) and kept in the shell; null for an unknown exercise.
 */
export function picture(slug, className) {
  const markup = PICTURES[slug];
  if (!markup) return null;
  const template = document.createElement('template');
  template.innerHTML = markup;
  const svg = template.content.firstElementChild;
  svg.setAttribute('role', 'img');
  svg.classList.add('pose');
  if (className) svg.classList.add(className);
  return svg;
}
