import { api, q } from '../api.js';
import { change } from '../auth.js';
import { h, kids, notice, table, when } from '../dom.js';
import { onChanges, touches } from '../live.js';
import { redrawer, type Page } from './page.js';

interface Children { path: string; total: number; numChildren: number; offset: number; children: string[] }
interface Node {
  path: string; data: string; nullData: boolean; ephemeral: boolean;
  stat: Record<string, string | number>; acl: { scheme: string; id: string; perms: string }[];
}

const PAGE = 200;
const child = (parent: string, name: string): string => (parent === '/' ? `/${name}` : `${parent}/${name}`);
const link = (path: string, text = path): HTMLElement => h('a', { href: `#/znodes?path=${encodeURIComponent(path)}`, class: 'znode' }, text);

function bytesOf(b64: string): Uint8Array {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The data in the chosen view: UTF-8 text, formatted JSON (when it parses) or a hex dump. */
function render(bytes: Uint8Array, view: string): string {
  if (view === 'hex') {
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) {
      const row = [...bytes.subarray(i, i + 16)];
      lines.push(`${i.toString(16).padStart(8, '0')}  ${row.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    }
    return lines.join('\n');
  }
  const text = new TextDecoder().decode(bytes);
  if (view === 'json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return `(not JSON)\n${text}`;
    }
  }
  return text;
}

/** Children in pages: a node with 100k children shows 200 at a time, with a filter by prefix. */
function childList(path: string): HTMLElement {
  const box = h('div', { class: 'panel tree', id: 'znode-children' });
  const prefix = h('input', { placeholder: 'filter by prefix', id: 'znode-filter' });
  const items = h('div', {});
  const more = h('button', { id: 'znode-more' }, 'More');
  let offset = 0;
  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      offset = 0;
      items.replaceChildren();
    }
    const c = await api<Children>('GET', `/znodes/children${q({ path, offset, limit: PAGE, prefix: prefix.value || undefined })}`);
    items.append(...c.children.map((n) => link(child(path, n), n)));
    offset += c.children.length;
    more.hidden = offset >= c.total;
    count.textContent = `${c.total} child(ren)${prefix.value ? ` matching` : ''}, ${offset} shown`;
  };
  const count = h('p', { class: 'muted' });
  more.addEventListener('click', () => void load(false).catch((e: Error) => notice(e.message, true)));
  prefix.addEventListener('change', () => void load(true).catch((e: Error) => notice(e.message, true)));
  box.append(h('h3', {}, 'Children'), prefix, count, items, more);
  void load(true).catch((e: Error) => notice(e.message, true));
  return box;
}

function editors(n: Node, view: () => string): HTMLElement {
  const area = h('textarea', { id: 'znode-editor' });
  area.value = view() === 'hex' ? render(bytesOf(n.data), 'hex').replace(/^[0-9a-f]{8} {2}/gm, '') : render(bytesOf(n.data), 'text');
  const version = h('input', { id: 'znode-version', type: 'number', value: n.stat.version as number, style: 'width:80px' });
  const name = h('input', { id: 'znode-new-name', placeholder: 'child name' });
  return h('div', {},
    h('h3', {}, 'Change'), area,
    h('div', {}, 'expected version ', version, ' ',
      h('button', { id: 'znode-set', onclick: () => void change(`Set ${n.path}`, () => api('PUT', '/znodes/node', { path: n.path, data: area.value, encoding: view() === 'hex' ? 'hex' : 'text', version: Number(version.value) })) }, 'Set data'),
      ' ',
      h('button', { id: 'znode-delete', onclick: () => void change(`Delete ${n.path}`, () => api('DELETE', `/znodes/node${q({ path: n.path, version: Number(version.value) })}`)) }, 'Delete')),
    h('div', {}, name, ' ',
      h('button', { id: 'znode-create', onclick: () => void change('Create', () => api('POST', '/znodes/node', { path: child(n.path, name.value), data: '' })) }, 'Create child')),
  );
}

async function drawNode(panel: HTMLElement, path: string): Promise<void> {
  const n = await api<Node>('GET', `/znodes/node${q({ path })}`);
  const bytes = bytesOf(n.data);
  const viewSel = h('select', { id: 'znode-view' }, ['text', 'json', 'hex'].map((v) => h('option', { value: v }, v)));
  const pre = h('pre', { id: 'znode-data' }, render(bytes, 'text'));
  viewSel.addEventListener('change', () => { pre.textContent = render(bytes, viewSel.value); });
  panel.replaceChildren(...kids(
    h('h3', {}, 'Data ', viewSel, h('span', { class: 'muted' }, n.nullData ? ' (null)' : ` (${bytes.length} bytes)`)),
    pre,
    h('h3', {}, 'Stat'),
    table(['field', 'value'], Object.entries(n.stat).map(([k, v]) => [k, k.endsWith('time') ? `${v} (${when(Number(v))})` : String(v)]), { id: 'znode-stat' }),
    n.ephemeral ? h('p', {}, 'Ephemeral, owned by session ', h('code', {}, String(n.stat.ephemeralOwner))) : null,
    h('h3', {}, 'ACL'),
    table(['scheme', 'id', 'perms'], n.acl.map((a) => [a.scheme, a.id, a.perms]), { id: 'znode-acl' }),
    editors(n, () => viewSel.value),
  ));
}

export const znodesPage: Page = (root, params) => {
  const path = params.get('path') ?? '/';
  const crumbs = path === '/' ? [link('/', '/')] : ['/', ...path.slice(1).split('/')].map((_, i, parts) =>
    link(i === 0 ? '/' : `/${parts.slice(1, i + 1).join('/')}`, i === 0 ? '/' : `${parts[i]}/`));
  const panel = h('div', { class: 'panel', id: 'znode-panel' });
  let children = childList(path);
  const split = h('div', { class: 'split' }, children, panel);
  root.replaceChildren(h('h2', {}, 'Znodes'), h('p', { id: 'znode-path' }, ...crumbs), split);
  const redraw = redrawer(() => drawNode(panel, path).catch((e: Error) => notice(e.message, true)));
  redraw();
  return onChanges((changes) => {
    const mine = changes === 'all' || changes.some((c) => c.path === path);
    const kids = changes === 'all' || changes.some((c) => c.path.startsWith(path === '/' ? '/' : `${path}/`) && c.path.slice(path.length + 1).indexOf('/') === -1);
    if (mine || (touches(changes, path) && kids)) redraw();
    if (kids) {
      const next = childList(path);
      split.replaceChild(next, children);
      children = next;
    }
  });
};
