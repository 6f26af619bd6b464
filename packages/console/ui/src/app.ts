import { api, settings } from './api.js';
import { renderAuth } from './auth.js';
import { h, notice } from './dom.js';
import { startLive } from './live.js';
import { configPage } from './pages/config.js';
import { overviewPage } from './pages/overview.js';
import type { Page } from './pages/page.js';
import { servicesPage } from './pages/services.js';
import { sessionsPage } from './pages/sessions.js';
import { znodesPage } from './pages/znodes.js';

/** The pages, in menu order: the one table of routes. */
const PAGES: readonly [string, string, Page][] = [
  ['overview', 'Overview', overviewPage],
  ['services', 'Services', servicesPage],
  ['config', 'Config', configPage],
  ['znodes', 'Znodes', znodesPage],
  ['sessions', 'Sessions', sessionsPage],
];

let leave: () => void = () => undefined;

function route(): void {
  const [name = 'overview', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const page = PAGES.find(([n]) => n === name) ?? PAGES[0];
  if (!page) return;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('data-page') === page[0]);
  leave();
  notice('');
  const root = document.getElementById('page') as HTMLElement;
  root.replaceChildren(h('p', {}, 'Loading…'));
  leave = page[2](root, new URLSearchParams(query));
}

async function start(): Promise<void> {
  (document.getElementById('nav') as HTMLElement).append(...PAGES.map(([n, label]) => h('a', { href: `#/${n}`, 'data-page': n }, label)));
  const o = await api<{ coordination: { root: string } }>('GET', '/overview').catch(() => null);
  if (o) settings.root = o.coordination.root;
  await renderAuth().catch((e: Error) => notice(e.message, true));
  startLive();
  window.addEventListener('hashchange', route);
  route();
}

void start();
