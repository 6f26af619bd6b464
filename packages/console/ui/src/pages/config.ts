import { api } from '../api.js';
import { change } from '../auth.js';
import { h, kids, notice } from '../dom.js';
import { onChanges, touches } from '../live.js';
import { redrawer, type Page } from './page.js';

interface Listing { root: string; namespaces: { namespace: string; keys: string[]; truncated: boolean }[] }
interface KeyValue { namespace: string; key: string; path: string; value: unknown; text: string; problem: string | null; stat: { version: number; mtime: number } }

const enc = encodeURIComponent;

/** The editor refuses text that is not JSON before anything is sent; the server checks again. */
function validate(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function editor(ns: string, key: string, initial: string, onSaved: () => void): HTMLElement {
  const area = h('textarea', { id: 'config-editor', spellcheck: 'false' });
  area.value = initial;
  const status = h('span', { id: 'config-valid', class: 'muted' }, 'valid JSON');
  const save = h('button', {
    id: 'config-save',
    onclick: () => void change(`Set ${ns}/${key}`, () => api('PUT', `/config/${enc(ns)}/${enc(key)}`, { text: area.value })).then(onSaved),
  }, 'Save');
  area.addEventListener('input', () => {
    const problem = validate(area.value);
    status.textContent = problem === null ? 'valid JSON' : `not JSON: ${problem}`;
    status.className = problem === null ? 'muted' : 'bad';
    save.disabled = problem !== null;
  });
  return h('div', {}, area, h('div', {}, save, ' ', status));
}

async function drawKey(panel: HTMLElement, ns: string, key: string): Promise<void> {
  const v = await api<KeyValue>('GET', `/config/${enc(ns)}/${enc(key)}`);
  const pretty = v.problem === null ? JSON.stringify(v.value, null, 2) : v.text;
  panel.replaceChildren(...kids(
    h('h3', {}, `${ns} / ${key}`),
    h('p', { class: 'muted' }, `${v.path} · version ${v.stat.version} · changed ${new Date(v.stat.mtime).toISOString()}`),
    v.problem === null ? null : h('p', { class: 'bad' }, v.problem),
    h('pre', { id: 'config-value' }, pretty),
    editor(ns, key, pretty, () => undefined),
    h('button', {
      onclick: () => void change(`Delete ${ns}/${key}`, () => api('DELETE', `/config/${enc(ns)}/${enc(key)}`)),
    }, 'Delete key'),
  ));
}

function newKeyForm(): HTMLElement {
  const ns = h('input', { id: 'new-ns', placeholder: 'namespace' });
  const key = h('input', { id: 'new-key', placeholder: 'key' });
  const value = h('input', { id: 'new-value', placeholder: 'JSON value, e.g. true' });
  return h('form', {
    onsubmit: (e: Event) => {
      e.preventDefault();
      const problem = validate(value.value);
      if (problem !== null) return notice(`not JSON: ${problem}`, true);
      void change(`Set ${ns.value}/${key.value}`, () => api('PUT', `/config/${enc(ns.value)}/${enc(key.value)}`, { text: value.value }));
    },
  }, ns, ' ', key, ' ', value, ' ', h('button', { type: 'submit' }, 'Add key'));
}

export const configPage: Page = (root, params) => {
  const ns = params.get('ns');
  const key = params.get('key');
  const list = h('div', { class: 'panel tree', id: 'config-keys' });
  const panel = h('div', { class: 'panel', id: 'config-panel' }, h('p', { class: 'muted' }, 'Choose a key.'));
  root.replaceChildren(h('h2', {}, 'Config center'), newKeyForm(), h('div', { class: 'split' }, list, panel));
  const drawList = async (): Promise<void> => {
    const l = await api<Listing>('GET', '/config');
    list.replaceChildren(...l.namespaces.flatMap((n) => [
      h('strong', {}, n.namespace),
      ...n.keys.map((k) => h('a', { href: `#/config?ns=${enc(n.namespace)}&key=${enc(k)}`, class: 'config-key' }, `${n.namespace}/${k}`)),
    ]));
    if (l.namespaces.length === 0) list.append(h('p', { class: 'muted' }, `No keys under ${l.root} yet.`));
  };
  const redraw = redrawer(async () => {
    await drawList().catch((e: Error) => notice(e.message, true));
    if (ns && key) {
      // Keep what someone is typing: only the shown value and version move while editing.
      const typing = document.activeElement?.id === 'config-editor';
      if (!typing) await drawKey(panel, ns, key).catch((e: Error) => notice(e.message, true));
    }
  });
  redraw();
  return onChanges((changes) => {
    if (touches(changes, '/config')) redraw();
  });
};
