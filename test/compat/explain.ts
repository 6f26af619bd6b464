import type { Transcript } from './normalize.js';

/**
 * A short, readable account of where two transcripts part: each differing step with both
 * outcomes side by side, and each connection whose received log differs. Used as the message
 * of the differential assertion, above vitest's full diff.
 */
export function explainDifferences(theirs: Transcript, ours: Transcript, maxSteps = 6): string {
  const lines: string[] = [];
  const n = Math.max(theirs.steps.length, ours.steps.length);
  let shown = 0;
  let hidden = 0;
  for (let i = 0; i < n; i++) {
    const a = theirs.steps[i] as Record<string, unknown> | undefined;
    const b = ours.steps[i] as Record<string, unknown> | undefined;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    // Once one zxid differs every later rank shifts; the first few steps tell the story.
    if (shown++ >= maxSteps) {
      hidden++;
      continue;
    }
    const head = String(a?.['#'] ?? b?.['#']);
    const what = `${String(a?.s ?? b?.s)} ${String(a?.do ?? b?.do)}`;
    lines.push(`step ${head} (${what}):`, `  ZooKeeper: ${brief(a)}`, `  ours:      ${brief(b)}`);
  }
  if (hidden > 0) lines.push(`... and ${hidden} more differing steps`);
  const aliases = new Set([...Object.keys(theirs.received), ...Object.keys(ours.received)]);
  for (const alias of aliases) {
    const a = theirs.received[alias]?.join(' | ');
    const b = ours.received[alias]?.join(' | ');
    if (a !== b) lines.push(`received by ${alias}:`, `  ZooKeeper: ${a ?? '(no connection)'}`, `  ours:      ${b ?? '(no connection)'}`);
  }
  return ['transcripts differ', ...lines].join('\n');
}

function brief(step: Record<string, unknown> | undefined): string {
  if (!step) return '(no step)';
  const { '#': _n, s: _s, do: _do, ...rest } = step;
  return JSON.stringify(rest);
}
