import { api } from '../api.js';
import { h, notice } from '../dom.js';
import { onStats } from '../live.js';
import type { Page } from './page.js';

interface Overview {
  coordination: { connectString: string; root: string };
  server: { available: boolean; reason?: string; label?: string } & Record<string, unknown>;
}

const CARDS: readonly [string, string][] = [
  ['server_state', 'mode'], ['peer_state', 'role'], ['zxid', 'zxid'], ['num_alive_connections', 'connections'],
  ['global_sessions', 'sessions'], ['watch_count', 'watches'], ['znode_count', 'znodes'], ['ephemerals_count', 'ephemerals'],
  ['ops', 'ops/s'], ['avg_latency', 'avg latency ms'], ['max_latency', 'max latency ms'], ['outstanding_requests', 'outstanding'],
];

function show(key: string, v: unknown): string {
  if (v === undefined || v === null) return '–';
  if (key === 'zxid' && typeof v === 'number') return `0x${v.toString(16)}`;
  return String(v);
}

/** An ensemble member as /api/overview lists it (MemberRow on the server side). */
interface Member {
  id: number;
  role: string;
  client: string;
  quorum: string;
  election: string;
}

function membersTable(members: readonly Member[]): HTMLElement {
  const cell = (text: string): HTMLElement => h('td', {}, text);
  return h('table', { id: 'ensemble-members' },
    h('thead', {}, h('tr', {}, ...['server', 'role', 'client', 'quorum', 'election'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...members.map((m) => h('tr', { 'data-role': m.role },
      cell(`server.${m.id}`), cell(m.role), cell(m.client), cell(m.quorum), cell(m.election)))));
}

export const overviewPage: Page = (root) => {
  let last: { at: number; packets: number } | null = null;
  const cards = h('div', { class: 'cards', id: 'overview-cards' });
  const draw = (s: Record<string, unknown>): void => {
    const packets = Number(s.packets_received);
    const at = Number(s.sampled_at);
    // ops/s from two pushed samples: requests received between them over the time between them.
    const ops = last && at > last.at ? Math.max(0, Math.round(((packets - last.packets) * 1000) / (at - last.at))) : undefined;
    last = { at, packets };
    cards.replaceChildren(...CARDS.map(([k, label]) => h('div', { class: 'card', 'data-key': k },
      h('div', { class: 'k' }, label), h('div', { class: 'v' }, show(k, k === 'ops' ? ops : s[k])))));
  };
  void api<Overview>('GET', '/overview').then((o) => {
    root.replaceChildren(h('h2', {}, 'Overview'),
      h('p', {}, 'Coordination service: ', h('code', {}, o.coordination.connectString), ' · registry root ', h('code', {}, o.coordination.root)));
    if (!o.server.available) {
      root.append(h('p', { class: 'unavailable' }, o.server.reason ?? 'Server internals are not available.'));
      return;
    }
    root.append(h('p', { class: 'muted' }, `Numbers from ${o.server.label ?? 'the server'}, pushed every second.`), cards);
    const members = o.server.members as Member[] | undefined;
    if (members) root.append(h('h3', {}, 'Ensemble'), membersTable(members));
    draw(o.server);
  }, (err: Error) => notice(err.message, true));
  return onStats(draw);
};
