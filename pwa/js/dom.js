// A few DOM helpers: build elements, choice chips and spoken announcements.

/** Create an element: h('button', {class: 'big', onclick: fn}, 'Label', child, ...). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'value' || name === 'checked') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return element;
}

/** Save a blob under `name` through a temporary link (for files a request with a token fetched). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Say `text` to screen readers through the page's live region. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  requestAnimationFrame(() => { region.textContent = text; });
}

/**
 * A group of toggle buttons. `selected` is a Set (multiple) or a one-item Set (single);
 * returns {element, value()} where value() gives an array or a single value.
 */
export function chips(legend, options, selected, { single = false, onchange } = {}) {
  const chosen = new Set(selected);
  const buttons = Object.entries(options).map(([value, label]) => h('button', {
    type: 'button', class: 'chip', 'aria-pressed': String(chosen.has(value)),
    onclick(event) {
      if (single) { chosen.clear(); chosen.add(value); }
      else if (chosen.has(value)) chosen.delete(value);
      else chosen.add(value);
      for (const button of event.currentTarget.parentElement.children) {
        button.setAttribute('aria-pressed', String(chosen.has(button.dataset.value)));
      }
      onchange?.(single ? [...chosen][0] : [...chosen]);
    },
    'data-value': value,
  }, label));
  const element = h('fieldset', { class: 'chips' }, h('legend', {}, legend), h('div', { class: 'chip-row' }, buttons));
  return { element, value: () => (single ? [...chosen][0] : [...chosen]) };
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint && h('p', { class: 'hint' }, hint));
}

export function link(href, text, className = 'button') {
  return h('a', { href, class: className }, text);
}

/** The view's title, focusable so that screen readers land on it after navigation. */
export function heading(text, level = 1) {
  return h(`h${level}`, { tabindex: level === 1 ? '-1' : null }, text);
}

/**
 * Put `nodes` in `container` unless they would look exactly the same: a refresh that changes
 * nothing must not replace a button under someone's finger.
 */
export function swap(container, nodes) {
  const next = document.createElement('div');
  next.append(...nodes);
  if (next.innerHTML !== container.innerHTML) container.replaceChildren(...next.childNodes);
}
