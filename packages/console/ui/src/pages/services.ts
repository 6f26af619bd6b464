import { api, q, settings } from '../api.js';
import { change } from '../auth.js';
import { h, kids, notice, table, when } from '../dom.js';
import { onChanges, touches } from '../live.js';
import { redrawer, type Page } from './page.js';

interface Summary { service: string; providers: number; consumers: number; overrides: number }
interface ProviderRow {
  url: string; host: string; port: number; address: string; version: string; group: string; weight: number;
  methods: string[]; protocol: string; timestamp?: number; disabled: boolean; effectiveWeight: number; overrides: string[];
}
interface Detail {
  service: string;
  providers: ProviderRow[];
  consumers: { url: string; host: string; params: Record<string, string> }[];
  overrides: { url: string; host: string | null; port: number | null; weight?: number; disabled?: boolean }[];
  unreadable: string[];
}

const enc = encodeURIComponent;

function providerActions(service: string, p: ProviderRow, redraw: () => void): HTMLElement {
  const target = { host: p.host, port: p.port };
  const weight = h('input', { type: 'number', min: 0, max: 1000000, value: p.effectiveWeight, class: 'weight', style: 'width:90px' });
  const post = (what: string, body: object) => change(what, () => api('POST', `/services/${enc(service)}/override`, { ...target, ...body })).then(redraw);
  return h('span', {},
    h('button', { class: p.disabled ? 'enable' : 'disable', onclick: () => post(`${p.disabled ? 'Enable' : 'Disable'} ${p.address}`, { disabled: !p.disabled }) },
      p.disabled ? 'Enable' : 'Disable'),
    ' ', weight, h('button', { class: 'set-weight', onclick: () => post(`Weight of ${p.address}`, { weight: Number(weight.value) }) }, 'Set weight'));
}

async function drawDetail(root: HTMLElement, service: string, redraw: () => void): Promise<void> {
  const d = await api<Detail>('GET', `/services/${enc(service)}`);
  root.replaceChildren(...kids(
    h('h2', {}, h('a', { href: '#/services' }, 'Services'), ' / ', service),
    h('h3', {}, `Providers (${d.providers.length})`),
    table(['address', 'transport', 'version', 'group', 'weight', 'methods', 'since', 'state', 'actions'], d.providers.map((p) => [
      p.address, p.protocol, p.version, p.group,
      p.effectiveWeight === p.weight ? String(p.weight) : `${p.effectiveWeight} (own ${p.weight})`,
      p.methods.join(', '), when(p.timestamp),
      h('span', { class: p.disabled ? 'bad state' : 'state' }, p.disabled ? 'disabled' : 'enabled'),
      providerActions(service, p, redraw),
    ]), { id: 'providers' }),
    h('h3', {}, `Consumers (${d.consumers.length})`),
    table(['host', 'url'], d.consumers.map((c) => [c.host, h('code', {}, c.url)]), { id: 'consumers' }),
    h('h3', {}, `Overrides (${d.overrides.length})`),
    table(['rule', 'applies to', 'weight', 'disabled', ''], d.overrides.map((o) => [
      h('code', {}, o.url), `${o.host ?? 'any host'}${o.port === null ? '' : `:${o.port}`}`, o.weight ?? '', o.disabled === undefined ? '' : String(o.disabled),
      h('button', {
        onclick: () => change('Remove override', () => api('DELETE', `/services/${enc(service)}/override${q({ host: o.host ?? '0.0.0.0', port: o.port ?? undefined })}`)).then(redraw),
      }, 'Remove'),
    ]), { id: 'overrides' }),
    d.unreadable.length ? h('p', { class: 'bad' }, `Unreadable nodes: ${d.unreadable.join(', ')}`) : null,
  ));
}

async function drawList(root: HTMLElement): Promise<void> {
  const s = await api<{ root: string; services: Summary[]; total: number; truncated: boolean }>('GET', '/services');
  root.replaceChildren(
    h('h2', {}, 'Services'),
    h('p', { class: 'muted' }, `Under ${s.root}: ${s.total} service(s)${s.truncated ? ', first ones shown' : ''}.`),
    table(['service', 'providers', 'consumers', 'overrides'], s.services.map((x) => [
      h('a', { href: `#/services?service=${enc(x.service)}`, class: 'service' }, x.service), x.providers, x.consumers, x.overrides,
    ]), { id: 'services' }),
  );
}

export const servicesPage: Page = (root, params) => {
  const service = params.get('service');
  const redraw = redrawer(() => (service ? drawDetail(root, service, () => redraw()) : drawList(root)).catch((e: Error) => notice(e.message, true)));
  redraw();
  // Providers come and go and overrides change by watch events, pushed here: redraw on those.
  return onChanges((changes) => {
    if (touches(changes, settings.root)) redraw();
  });
};
