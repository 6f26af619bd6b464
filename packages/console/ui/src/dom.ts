/** Attributes and children for `h`: strings become text nodes, so nothing from the server is parsed as HTML. */
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function table(headers: readonly string[], rows: readonly (Child | Child[])[][], attrs: Attrs = {}): HTMLTableElement {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

export function notice(text: string, error = false): void {
  const el = document.getElementById('notice') as HTMLElement;
  el.textContent = text;
  el.className = error ? 'error' : '';
}

export const when = (ms: number | undefined): string => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

/** Children for replaceChildren, leaving out the ones a condition turned off. */
export const kids = (...xs: (Node | string | null | false)[]): (Node | string)[] => xs.filter((x): x is Node | string => x !== null && x !== false);
