import { api, credentials } from './api.js';
import { h, notice } from './dom.js';

interface WhoAmI {
  who: string | null;
  csrf: string | null;
  csrfHeader: string;
  tokenConfigured?: boolean;
}

/** The header's log-in box: a token or a digest identity (user:password); changes need one. */
export async function renderAuth(): Promise<void> {
  const box = document.getElementById('auth') as HTMLElement;
  const me = await api<WhoAmI>('GET', '/whoami');
  credentials.csrf = me.csrf;
  credentials.header = me.csrfHeader;
  box.replaceChildren();
  if (me.who !== null) {
    box.append(h('span', { id: 'who' }, `changes as ${me.who}`), h('button', {
      id: 'logout',
      onclick: async () => {
        await api('POST', '/logout', {});
        await renderAuth();
      },
    }, 'Log out'));
    return;
  }
  const kind = h('select', { id: 'login-kind' }, h('option', { value: 'token' }, 'token'), h('option', { value: 'digest' }, 'digest user:password'));
  const secret = h('input', { id: 'login-secret', type: 'password', placeholder: 'credential for changes', autocomplete: 'off' });
  const form = h('form', {
    id: 'login',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api('POST', '/login', { [kind.value]: secret.value });
        notice('');
        await renderAuth();
      } catch (err) {
        notice(`Log-in refused: ${(err as Error).message}`, true);
      }
    },
  }, h('span', { class: 'muted' }, 'read-only'), kind, secret, h('button', { type: 'submit' }, 'Log in'));
  box.append(form);
}

/** Runs a change and reports its outcome in the notice line. */
export async function change(what: string, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    notice(`${what}: done`);
    return true;
  } catch (err) {
    notice(`${what} refused: ${(err as Error).message}`, true);
    return false;
  }
}
