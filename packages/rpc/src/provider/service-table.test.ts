import { describe, expect, it } from 'vitest';
import { Service, serviceDefinition } from '../contract/service.js';
import { RpcError } from '../call/rpc-error.js';
import { ExportedService } from './exported-service.js';
import { ServiceTable } from './service-table.js';

function exported(version: string, group = 'default'): ExportedService {
  class Impl {
    async m(): Promise<string> {
      return version;
    }
  }
  Service({ name: 'Svc', version, group })(Impl);
  return new ExportedService(serviceDefinition(Impl), new Impl());
}

describe('ServiceTable', () => {
  it('answers with the newest export matching the version and group specs', () => {
    const table = new ServiceTable();
    const [v1, v13, v2, blue] = [exported('1.0.0'), exported('1.3.0'), exported('2.0.0'), exported('1.9.0', 'blue')];
    for (const s of [v1, v2, v13, blue]) table.add(s);
    expect(table.lookup('Svc', '^1.0', 'default')).toBe(v13);
    expect(table.lookup('Svc', '*', 'default')).toBe(v2);
    expect(table.lookup('Svc', '1.0.0', 'default')).toBe(v1);
    expect(table.lookup('Svc', '^1.0', '*')).toBe(blue);
    expect(table.lookup('Svc', '^1.0', 'blue,green')).toBe(blue);
    expect((table.lookup('Svc', '^3', 'default') as RpcError).message).toBe(
      'service Svc is exported here as 2.0.0 (group default), 1.9.0 (group blue), 1.3.0 (group default), 1.0.0 (group default); none matches version "^3" and group "default"',
    );
  });

  it('forgets remembered answers when exports change', () => {
    const table = new ServiceTable();
    const v1 = exported('1.0.0');
    table.add(v1);
    expect(table.lookup('Svc', '*', 'default')).toBe(v1);
    const v2 = exported('2.0.0');
    table.add(v2);
    expect(table.lookup('Svc', '*', 'default')).toBe(v2);
    table.remove(v2);
    expect(table.lookup('Svc', '*', 'default')).toBe(v1);
    table.remove(v1);
    expect((table.lookup('Svc', '*', 'default') as RpcError).code).toBe('UNKNOWN_SERVICE');
  });

  it('stays bounded under many distinct specs and keeps answering right', () => {
    const table = new ServiceTable();
    const v1 = exported('1.0.0');
    table.add(v1);
    for (let i = 0; i < 10_000; i++) expect(table.lookup('Svc', `>=0.0.${i}`, 'default')).toBe(v1);
    expect((table as unknown as { memoSize: number }).memoSize).toBeLessThanOrEqual(4096);
  });
});
