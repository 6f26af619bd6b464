import { describe, expect, it } from 'vitest';
import { CreateMode } from '@paddock/coord-client';
import { formatProviderUrl, toNodeName } from '@paddock/registry';
import { instance, type RegistryContext } from './registry-context.js';
import { ListRecorder } from './registry-waiting.js';

const PROVIDERS = 10_000;
/** Creates in flight at once: well under the client's request queue bound. */
const BATCH = 1000;

export function scaleTests(ctx: RegistryContext): void {
  describe('scale', () => {
    it(`lists ${PROVIDERS} providers of one service (a getChildren reply over 1 MB) and follows a change`, async () => {
      const raw = await ctx.suite.connect();
      const consumer = await ctx.open();
      const dir = `${ctx.root()}/Greeter/providers`;
      const names: string[] = [];
      for (let i = 0; i < PROVIDERS; i++) {
        const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        const url = formatProviderUrl(instance(20880, { host, params: { zone: `zone-${i % 7}` } }), { pid: 1000 + i, timestamp: 1_700_000_000_000 + i });
        names.push(toNodeName(url));
      }
      // getChildren reply: 4 bytes per name length plus the UTF-8 names (ASCII here).
      const replyBytes = names.reduce((n, name) => n + 4 + name.length, 0);
      expect(replyBytes).toBeGreaterThan(1024 * 1024);
      let at = '';
      for (const part of dir.split('/').filter(Boolean)) await raw.create((at += `/${part}`)).catch(() => undefined);
      for (let i = 0; i < names.length; i += BATCH) {
        await Promise.all(names.slice(i, i + BATCH).map((n) => raw.create(`${dir}/${n}`, null, { mode: CreateMode.EPHEMERAL })));
      }
      const sub = await consumer.discover('Greeter');
      expect(sub.status).toBe('live');
      expect(sub.providers).toHaveLength(PROVIDERS);
      expect(new Set(sub.providers.map((p) => p.host)).size).toBe(PROVIDERS);
      const rec = new ListRecorder(sub);
      await raw.delete(`${dir}/${names[123]!}`);
      const after = await rec.until(`${PROVIDERS - 1} providers`, (l) => l.length === PROVIDERS - 1);
      expect(after.some((p) => p.host === '10.0.0.123')).toBe(false);
      console.log(`[registry scale] getChildren reply of ${(replyBytes / 1024 / 1024).toFixed(2)} MiB for ${PROVIDERS} providers`);
    }, 60_000);
  });
}
