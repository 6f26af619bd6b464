import { RpcError } from '../call/rpc-error.js';
import { compareVersionsDescending, compileGroupSpec, compileVersionSpec } from '../contract/version-spec.js';
import type { ExportedService } from './exported-service.js';

/** Remembered (version spec, group spec) answers per service; beyond it the memo starts over. */
const MEMO_LIMIT = 4096;
const LISTED = 10;

/**
 * The services a provider exports, looked up by what a consumer asks for: a name, a version
 * spec and a group spec. The answer (the newest matching export, or the error) is computed
 * once per distinct spec pair and remembered, so a call costs two map lookups.
 */
export class ServiceTable {
  private readonly byName = new Map<string, ExportedService[]>();
  /** name → version spec → group spec → answer. */
  private readonly memo = new Map<string, Map<string, Map<string, ExportedService | RpcError>>>();
  private memoSize = 0;

  add(svc: ExportedService): void {
    const list = this.byName.get(svc.name) ?? [];
    if (list.some((s) => s.version === svc.version && s.group === svc.group)) {
      throw new TypeError(`${svc.name} ${svc.version} (group ${svc.group}) is already exported`);
    }
    list.push(svc);
    list.sort((a, b) => compareVersionsDescending(a.version, b.version));
    this.byName.set(svc.name, list);
    this.forget();
  }

  remove(svc: ExportedService): void {
    const list = this.byName.get(svc.name);
    if (!list) return;
    const rest = list.filter((s) => s !== svc);
    if (rest.length === 0) this.byName.delete(svc.name);
    else this.byName.set(svc.name, rest);
    this.forget();
  }

  get services(): readonly ExportedService[] {
    return [...this.byName.values()].flat();
  }

  /** The export serving a call, or an RpcError naming what was asked and what is here. */
  lookup(name: string, version: string, group: string): ExportedService | RpcError {
    const list = this.byName.get(name);
    if (list === undefined) return this.unknownService(name);
    let byVersion = this.memo.get(name);
    if (byVersion === undefined) this.memo.set(name, (byVersion = new Map()));
    let byGroup = byVersion.get(version);
    if (byGroup === undefined) byVersion.set(version, (byGroup = new Map()));
    let found = byGroup.get(group);
    if (found === undefined) {
      found = this.resolve(name, list, version, group);
      if (++this.memoSize > MEMO_LIMIT) this.forget();
      else byGroup.set(group, found);
    }
    return found;
  }

  private resolve(name: string, list: readonly ExportedService[], version: string, group: string): ExportedService | RpcError {
    const versionOk = compileVersionSpec(version);
    if (versionOk === null) return new RpcError('BAD_REQUEST', `version spec ${JSON.stringify(version)} of ${name} is not a version, "*" or a semver range`);
    const groupOk = compileGroupSpec(group);
    if (groupOk === null) return new RpcError('BAD_REQUEST', `group spec ${JSON.stringify(group)} of ${name} is not a group, a list of groups or "*"`);
    const match = list.find((s) => groupOk(s.group) && versionOk(s.version));
    if (match) return match;
    const here = list.map((s) => `${s.version} (group ${s.group})`).join(', ');
    return new RpcError('VERSION_MISMATCH', `service ${name} is exported here as ${here}; none matches version ${JSON.stringify(version)} and group ${JSON.stringify(group)}`);
  }

  private unknownService(name: string): RpcError {
    const names = [...this.byName.keys()];
    const listed = names.slice(0, LISTED).join(', ') + (names.length > LISTED ? ', ...' : '');
    return new RpcError('UNKNOWN_SERVICE', `service ${JSON.stringify(name)} is not exported here (exported: ${listed || 'none'})`);
  }

  private forget(): void {
    this.memo.clear();
    this.memoSize = 0;
  }
}
