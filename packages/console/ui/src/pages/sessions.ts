import { api } from '../api.js';
import { h, notice, table } from '../dom.js';
import type { Page } from './page.js';

interface Sessions {
  server: { available: boolean; reason?: string; label?: string };
  connections?: Record<string, unknown>[];
  ephemerals?: Record<string, string[]>;
  watches?: Record<string, string[]>;
}

const hexId = (id: string): string => (/^-?\d+$/.test(id) ? `0x${BigInt.asUintN(64, BigInt(id)).toString(16)}` : id);

export const sessionsPage: Page = (root) => {
  void api<Sessions>('GET', '/sessions').then((s) => {
    root.replaceChildren(h('h2', {}, 'Sessions'));
    if (!s.server.available) {
      root.append(h('p', { class: 'unavailable' }, s.server.reason ?? 'Server internals are not available.'));
      return;
    }
    const conns = s.connections ?? [];
    const ids = new Set([...Object.keys(s.ephemerals ?? {}), ...Object.keys(s.watches ?? {})]);
    root.append(
      h('p', { class: 'muted' }, `From ${s.server.label ?? 'the server'}.`),
      h('h3', {}, `Connections (${conns.length})`),
      table(['remote', 'session', 'timeout', 'outstanding', 'received', 'sent'], conns.map((c) => [
        String(c.remote_socket_address ?? ''), String(c.session_id ?? ''), String(c.session_timeout ?? ''),
        String(c.outstanding_requests ?? ''), String(c.packets_received ?? ''), String(c.packets_sent ?? ''),
      ]), { id: 'connections' }),
      h('h3', {}, `Sessions with ephemerals or watches (${ids.size})`),
      table(['session', 'ephemerals', 'watches'], [...ids].map((id) => [
        hexId(id), h('pre', {}, (s.ephemerals?.[id] ?? []).join('\n')), h('pre', {}, (s.watches?.[id] ?? []).join('\n')),
      ]), { id: 'session-table' }),
    );
  }, (err: Error) => notice(err.message, true));
  return () => undefined;
};
