import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { untilOutput } from './child-output.js';

const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('untilOutput', () => {
  it('resolves with the match once stdout or stderr prints it', async () => {
    const child = node("console.error('starting'); setTimeout(() => console.log('READY 4242'), 20); setTimeout(() => {}, 2000)");
    const { match, text } = await untilOutput(child, /READY (\d+)/, 10_000);
    expect(match[1]).toBe('4242');
    expect(text).toContain('starting');
    child.kill('SIGKILL');
  });

  it('rejects with the output when the child exits first', async () => {
    await expect(untilOutput(node("console.log('bad config'); process.exit(3)"), /READY/, 10_000)).rejects.toThrow(/exited \(3\) before printing \/READY\/; output: bad config/);
  });

  it('rejects after the timeout', async () => {
    const child = node('setTimeout(() => {}, 5000)');
    await expect(untilOutput(child, /READY/, 100)).rejects.toThrow(/nothing matching \/READY\/ within 100 ms/);
    child.kill('SIGKILL');
  });
});
