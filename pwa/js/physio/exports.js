// Exports of the patient's data for the range on screen: CSV, FHIR and a one-page PDF.
import { h, announce, saveBlob } from '../dom.js';
import { api } from '../api.js';
import { alertBox, busy } from './frame.js';

const FILES = [['csv', 'CSV', 'csv'], ['fhir', 'FHIR', 'json'], ['pdf', 'PDF', 'pdf']];

/** A button that downloads an assignment's printable handout (A4 PDF) to give the patient. */
export function handoutButton(patientId, assignment) {
  const message = alertBox();
  const button = h('button', {
    type: 'button',
    async onclick(event) {
      const blob = await busy(event.currentTarget, message,
        () => api('GET', `/care/patients/${patientId}/assignments/${assignment.key}/handout`, undefined, { blob: true }), 'Preparing…');
      if (!blob) return;
      saveBlob(blob, `unknot-${assignment.slug}.pdf`);
      announce('Handout downloaded');
    },
  }, 'Handout to print (PDF)');
  return h('div', {}, button, message);
}

/** Download buttons for `range` ({from, to} as the summary resolved them). */
export function exports(patientId, range) {
  const message = alertBox();
  const query = new URLSearchParams(range);
  const button = ([format, label, extension]) => h('button', {
    type: 'button',
    async onclick(event) {
      const blob = await busy(event.currentTarget, message,
        () => api('GET', `/care/patients/${patientId}/export/${format}?${query}`, undefined, { blob: true }), 'Preparing…');
      if (!blob) return;
      saveBlob(blob, `unknot-patient-${patientId}-${range.from}-${range.to}.${extension}`);
      announce(`${label} downloaded`);
    },
  }, `Download ${label}`);
  return h('section', { class: 'card', 'aria-labelledby': 'exports-h' },
    h('h2', { id: 'exports-h' }, 'Exports'),
    h('p', { class: 'hint' }, `${range.from} to ${range.to}: the entries as CSV, an HL7 FHIR R4 bundle, or a one-page summary for before a visit.`),
    h('div', { class: 'row' }, FILES.map(button)), message);
}
