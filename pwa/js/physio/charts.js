// The patient's charts, drawn by the server as SVG and placed in the page as they are.
import { h } from '../dom.js';
import { api } from '../api.js';
import { loading } from './frame.js';

/** Parse one chart; keep nothing that could run (the server escapes, this is a second lock). */
function drawing(source) {
  const svg = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
  if (svg.nodeName !== 'svg') return h('p', { class: 'hint' }, 'This chart could not be drawn.');
  for (const node of svg.querySelectorAll('script, foreignObject, a, iframe')) node.remove();
  for (const node of [svg, ...svg.querySelectorAll('*')]) {
    for (const { name } of [...node.attributes]) if (/^on|href$/i.test(name)) node.removeAttribute(name);
  }
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  return document.importNode(svg, true);
}

async function drawAll(patientId, range) {
  const { charts } = await api('GET', `/care/patients/${patientId}/charts?format=svg&${range}`);
  return h('div', { class: 'charts' }, Object.entries(charts).map(([name, source]) => h('figure', { class: 'chart-box', 'data-chart': name }, drawing(source))));
}

export function charts(patientId, range) {
  return h('section', { class: 'card', 'aria-labelledby': 'charts-h' },
    h('h2', { id: 'charts-h' }, 'Charts'),
    loading('Drawing charts…', () => drawAll(patientId, range)));
}
