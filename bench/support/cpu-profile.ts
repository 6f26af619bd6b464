import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

interface HotSpot {
  /** `file:function:line`, file relative to `root` when below it. */
  readonly where: string;
  /** Percent of busy samples (idle excluded) spent in the function itself. */
  readonly selfPct: number;
  /** Percent of busy samples with the function anywhere on the stack. */
  readonly totalPct: number;
}

export interface ProfileSummary {
  readonly busySamples: number;
  readonly idlePct: number;
  readonly bySelf: readonly HotSpot[];
  readonly byTotal: readonly HotSpot[];
  /** Self time per file (node internals grouped as `node:` URLs). */
  readonly byFile: readonly { file: string; selfPct: number }[];
}

function label(frame: CallFrame, root: string): { key: string; file: string } {
  const url = frame.url.replace(/^file:\/\//, '');
  const file = url === '' ? '(native)' : url.startsWith(root) ? url.slice(root.length + 1) : url;
  const fn = frame.functionName || '(anonymous)';
  return { key: `${file}:${fn}:${frame.lineNumber + 1}`, file };
}

/** Reads the newest `.cpuprofile` in `dir` and ranks functions and files by sampled time. */
export function summarizeCpuProfile(dir: string, root: string, top = 25): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  const newest = files.at(-1);
  if (!newest) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, newest), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') { idle++; continue; }
    busy++;
    const { key, file } = label(node.callFrame, root);
    self.set(key, (self.get(key) ?? 0) + 1);
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + 1);
    const seen = new Set<string>();
    // Bounded by the stack depth: parent links form a tree rooted at (root).
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = label(byId.get(at)!.callFrame, root).key;
      if (!seen.has(k)) { seen.add(k); total.set(k, (total.get(k) ?? 0) + 1); }
    }
  }
  const pct = (n: number): number => (busy > 0 ? (100 * n) / busy : 0);
  const rank = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  const spot = ([where]: [string, number]): HotSpot => ({ where, selfPct: pct(self.get(where) ?? 0), totalPct: pct(total.get(where) ?? 0) });
  return {
    busySamples: busy,
    idlePct: busy + idle > 0 ? (100 * idle) / (busy + idle) : 0,
    bySelf: rank(self).slice(0, top).map(spot),
    byTotal: rank(total).filter(([k]) => !k.startsWith('(native):(root)')).slice(0, top).map(spot),
    byFile: rank(fileSelf).slice(0, top).map(([file, n]) => ({ file, selfPct: pct(n) })),
  };
}

export function formatProfile(s: ProfileSummary): string[] {
  const line = (h: HotSpot): string => `  ${h.selfPct.toFixed(1).padStart(5)}%  ${h.totalPct.toFixed(1).padStart(5)}%  ${h.where}`;
  return [
    `busy samples: ${s.busySamples} (idle ${s.idlePct.toFixed(1)}% of all samples); percentages are of busy samples`,
    'top functions by self time:   self  total  file:function:line (dist JS lines)',
    ...s.bySelf.map(line),
    'top functions by total time:  self  total',
    ...s.byTotal.map(line),
    'self time by file:',
    ...s.byFile.map((f) => `  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.file}`),
  ];
}
