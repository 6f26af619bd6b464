import { checkLinearizability, type CheckResult, type HistoryOp, type ZkErrorName, type ZkInput, type ZkModelOptions, type ZkOutput, zookeeperModel } from './index.js';

/** Short forms for writing histories by hand in tests. */
export type ZkOp = HistoryOp<ZkInput, ZkOutput>;

export const create = (path: string, data = ''): ZkInput => ({ op: 'create', path, data });
export const del = (path: string, version = -1): ZkInput => ({ op: 'delete', path, version });
export const set = (path: string, data: string, version = -1): ZkInput => ({ op: 'setData', path, data, version });
export const get = (path: string): ZkInput => ({ op: 'getData', path });
export const exists = (path: string): ZkInput => ({ op: 'exists', path });
export const createSeq = (prefix: string): ZkInput => ({ op: 'createSequential', path: prefix });
export const children = (path: string): ZkInput => ({ op: 'getChildren', path });

export const ok = (fields: Omit<Extract<ZkOutput, { code: 'ok' }>, 'code'> = {}): ZkOutput => ({ code: 'ok', ...fields });
export const fail = (code: ZkErrorName): ZkOutput => ({ code });
/** getData's reply. */
export const value = (data: string, version: number): ZkOutput => ({ code: 'ok', data, version });

/** An op that returned. */
export function op(client: number, call: number, ret: number, input: ZkInput, output: ZkOutput, synced?: boolean): ZkOp {
  return synced === undefined ? { client, call, ret, input, output } : { client, call, ret, input, output, synced };
}

/** An op that got no reply: it may have happened at any point after `call`, or never. */
export function open(client: number, call: number, input: ZkInput): ZkOp {
  return { client, call, ret: Infinity, input };
}

/** The verdict on a hand-written history (an 'unknown' fails the test: these are tiny). */
export function verdict(history: readonly ZkOp[], options: ZkModelOptions): CheckResult['verdict'] {
  const r = checkLinearizability(zookeeperModel(options), history);
  if (r.verdict === 'unknown') throw new Error(r.reason);
  return r.verdict;
}
