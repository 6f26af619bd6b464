import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Registry, type Subscription } from '@paddock/registry';
import { RpcClient } from '@paddock/rpc';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExampleProcess } from '../examples/example-process.js';
import { Control, Greeter } from '../rpc/contracts.js';
import { ProviderProcess } from '../rpc/provider-process.js';
import { listed, within } from '../rpc/rpc-harness.js';
import { CHROMIUM, SHOTS, logIn, noticeSays, shot } from './browser-page.js';
import { TOKEN, bearer, call, consoleOnPaddock, type RunningConsole } from './console-harness.js';

// The console in real headless Chromium (issue 14, Must show): a coordination server with the
// console on its AdminServer, two providers and a consumer calling them, the config-toggle
// example app; the page finds the service and both providers, disables one (the consumer's
// calls move to the other, counted on the providers), edits a config key (the app prints the new
// value), browses to a znode and reads its Stat, and is refused a change without the credential.

const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;
if (missing) console.warn(`[SKIP] console in headless Chromium: ${missing}`);

/** Calls the consumer keeps making while the page works; counted on the providers. */
class Load {
  done = 0;
  private stopped = false;
  private readonly waiters: { at: number; resolve: () => void }[] = [];
  readonly running: Promise<void>;

  constructor(greeter: Pick<Greeter, 'whoami'>) {
    this.running = (async () => {
      while (!this.stopped) {
        await greeter.whoami();
        this.done++;
        for (const w of this.waiters.filter((x) => x.at <= this.done)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    })();
  }

  /** Resolves once `n` more calls have completed. */
  more(n: number): Promise<void> {
    return within(new Promise<void>((resolve) => this.waiters.push({ at: this.done + n, resolve })), `${n} more calls`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

describe.skipIf(missing !== null)('console in headless Chromium', () => {
  let c: RunningConsole;
  let registry: Registry;
  let consumer: RpcClient;
  let admin: RpcClient;
  let providers: ProviderProcess[];
  let app: ExampleProcess;
  let browser: Browser;
  let load: Load;
  let sub: Subscription;

  beforeAll(async () => {
    // The page script is bundled at npm install / npm run build; make sure this checkout has it.
    execFileSync(process.execPath, [fileURLToPath(new URL('../../packages/console/build-ui.mjs', import.meta.url))]);
    c = await consoleOnPaddock();
    providers = await Promise.all(['p1', 'p2'].map((name) => ProviderProcess.start({ name, registry: c.connectString })));
    registry = await Registry.connect(c.connectString);
    consumer = new RpcClient({ registry });
    admin = new RpcClient();
    sub = await registry.discover('Greeter');
    await listed(sub, 'both providers', (l) => l.length === 2);
    load = new Load(consumer.refer(Greeter));
    await call(c, 'PUT', '/config/examples/shout', { text: 'false' }, bearer);
    app = new ExampleProcess('config-toggle/app.js', [c.connectString]);
    await app.line(/toggle examples\/shout is false/);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await load?.stop();
    await browser?.close();
    app?.kill();
    await consumer?.close();
    await admin?.close();
    await registry?.close();
    await ProviderProcess.stopAll();
    await c?.stop();
  });

  const served = async (p: ProviderProcess): Promise<number> =>
    (await admin.refer(Control, { addresses: [p.address] }).stats()).whoami;

  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Below the test's own timeout, so a missing element fails with its selector, not a bare timeout.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => console.warn(`console page error: ${e.message}`));
    await page.goto(c.url);
    return page;
  }

  it('refuses a change without the credential', async () => {
    const page = await open();
    await page.goto(`${c.url}#/services?service=Greeter`);
    await page.locator('#providers tbody tr').nth(1).waitFor();
    await page.locator('#providers tbody tr').first().locator('button.disable').click();
    expect(await noticeSays(page, /refused/)).toMatch(/changes need a credential/);
    await shot(page, '0-refused-without-credential');
    expect((await call(c, 'GET', '/services/Greeter')).body.overrides).toEqual([]);
    await page.close();
  });

  it('shows the overview with the server\'s live numbers', async () => {
    const page = await open();
    await page.locator('#overview-cards .card[data-key=znode_count] .v').filter({ hasText: /^\d+$/ }).waitFor();
    // ops/s needs two pushed samples: its card shows a number once the stream has delivered them.
    await page.locator('#overview-cards .card[data-key=ops] .v').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#overview-cards .card[data-key=server_state] .v').textContent()).toBe('standalone');
    await shot(page, '1-overview');
    await page.close();
  });

  it('finds the service and both providers, disables one, and the consumer\'s calls move to the other', async () => {
    const page = await open();
    await logIn(page, TOKEN);
    await page.click('nav a[data-page=services]');
    await page.locator('a.service', { hasText: 'Greeter' }).click();
    const rows = page.locator('#providers tbody tr');
    await rows.nth(1).waitFor();
    const addresses = (await rows.locator('td:first-child').allTextContents()).sort();
    expect(addresses).toEqual(providers.map((p) => p.address).sort());
    await load.more(50);
    const [off, on] = [providers.find((p) => p.address === addresses[0]), providers.find((p) => p.address === addresses[1])] as ProviderProcess[];
    expect(await served(off)).toBeGreaterThan(0);

    const clicked = Date.now();
    await rows.first().locator('button.disable').click();
    // The consumer's list loses the provider by one watch event: bounded at the one second the issue asks.
    await within(listed(sub, 'the disabled provider out of the consumer\'s list', (l) => l.length === 1 && l[0]?.address === on.address), 'list change', 1000);
    const movedMs = Date.now() - clicked;
    await load.more(1); // a call already under way may still finish on the old provider
    const [offBefore, onBefore] = [await served(off), await served(on)];
    await load.more(200);
    const [offAfter, onAfter] = [await served(off), await served(on)];
    console.log(`console: calls moved ${movedMs} ms after the click; next 200+ calls: disabled ${offAfter - offBefore}, other ${onAfter - onBefore}`);
    expect(offAfter).toBe(offBefore);
    expect(onAfter - onBefore).toBeGreaterThanOrEqual(200);
    await rows.first().locator('.state', { hasText: 'disabled' }).waitFor();
    await shot(page, '2-services');
    await page.close();
  });

  it('edits a config key, refusing text that is not JSON, and the example app prints the new value', async () => {
    const page = await open();
    await logIn(page, TOKEN);
    await page.click('nav a[data-page=config]');
    await page.locator('a.config-key', { hasText: 'examples/shout' }).click();
    const editor = page.locator('#config-editor');
    await editor.waitFor();
    await editor.fill('tru');
    await page.locator('#config-valid', { hasText: 'not JSON' }).waitFor();
    expect(await page.locator('#config-save').isDisabled()).toBe(true);
    await editor.fill('true');
    await page.click('#config-save');
    await noticeSays(page, /Set examples\/shout: done/);
    await app.line(/toggle examples\/shout changed: false -> true/);
    await page.locator('#config-value', { hasText: 'true' }).waitFor();
    await shot(page, '3-config');
    await page.close();
  });

  it('browses to a provider\'s znode and reads its Stat and ACL', async () => {
    const page = await open();
    await page.click('nav a[data-page=znodes]');
    for (const name of ['services', 'Greeter', 'providers']) await page.locator('#znode-children a.znode', { hasText: new RegExp(`^${name}$`) }).click();
    await page.locator('#znode-children a.znode').first().click();
    const stat = page.locator('#znode-stat');
    await stat.waitFor();
    const cells = Object.fromEntries((await stat.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.children[0]?.textContent ?? '', tr.children[1]?.textContent ?? '']))) as [string, string][]);
    expect(Object.keys(cells)).toEqual(['czxid', 'mzxid', 'pzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren']);
    expect(cells.ephemeralOwner).toMatch(/^0x[0-9a-f]+$/);
    expect(cells.ephemeralOwner).not.toBe('0x0');
    expect(await page.locator('#znode-acl tbody td').allTextContents()).toEqual(['world', 'anyone', 'cdrwa']);
    await shot(page, '4-znodes');
    await page.click('nav a[data-page=sessions]');
    await page.locator('#connections tbody tr').first().waitFor();
    await shot(page, '5-sessions');
    await page.close();
    expect(SHOTS).toContain('test-results');
  });
});
