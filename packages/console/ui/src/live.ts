/** Tree changes and server numbers pushed by the console (server-sent events), to whoever listens. */
export interface Change {
  readonly type: 'created' | 'deleted' | 'changed' | 'children';
  readonly path: string;
}

type ChangeListener = (changes: readonly Change[] | 'all') => void;
type StatsListener = (sample: Record<string, unknown>) => void;

const changeListeners = new Set<ChangeListener>();
const statsListeners = new Set<StatsListener>();

export function onChanges(l: ChangeListener): () => void {
  changeListeners.add(l);
  return () => changeListeners.delete(l);
}

export function onStats(l: StatsListener): () => void {
  statsListeners.add(l);
  return () => statsListeners.delete(l);
}

function setLive(on: boolean): void {
  const el = document.getElementById('live') as HTMLElement;
  el.textContent = on ? 'live' : 'offline';
  el.className = on ? 'live' : 'live off';
}

/** One stream per page; the browser reconnects it by itself after a drop. */
export function startLive(): void {
  const es = new EventSource('/console/api/events');
  es.addEventListener('open', () => setLive(true));
  es.addEventListener('error', () => setLive(false));
  es.addEventListener('status', (e) => setLive((JSON.parse((e as MessageEvent<string>).data) as { connected: boolean }).connected));
  es.addEventListener('changes', (e) => {
    const changes = JSON.parse((e as MessageEvent<string>).data) as Change[];
    for (const l of changeListeners) l(changes);
  });
  es.addEventListener('reload', () => {
    for (const l of changeListeners) l('all');
  });
  es.addEventListener('stats', (e) => {
    const sample = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
    for (const l of statsListeners) l(sample);
  });
}

/** True when a change touches the path or anything under it. */
export function touches(changes: readonly Change[] | 'all', prefix: string): boolean {
  return changes === 'all' || changes.some((c) => c.path === prefix || c.path.startsWith(`${prefix}/`));
}
