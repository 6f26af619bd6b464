import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { unpack } from 'msgpackr';
import type { BenchSuite } from '../suite.js';
import { untilOutput } from '../support/child-output.js';
import { Cleanup } from '../support/cleanup.js';
import { stopChild } from '../support/four-letter.js';
import { compiledBenchScript } from '../support/compiled-script.js';
import { UsageError } from '../support/flags.js';
import { textTable } from '../support/text-table.js';
import { DECODE_CASES, requestBytes, type DecodeCase, type ProviderReport } from './decode-cost-cases.js';

const PROVIDER_SCRIPT = compiledBenchScript(import.meta.url, 'decode-cost-provider.js');
const START_TIMEOUT_MS = 30_000;
/** Generous: before the decode bound, one case blocks the provider for seconds. */
const ANSWER_TIMEOUT_MS = 120_000;

export interface DecodeMeasurement {
  readonly name: string;
  readonly requestBytes: number;
  /** "result <value>", "error <CODE>" or "connection closed". */
  readonly answer: string;
  readonly report: ProviderReport;
}

/** The provider's answer to the one request sent on `port`. */
function ask(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    const settle = (answer: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      // The provider's 8-byte preface, then one length-prefixed frame.
      if (got.length < 12 || got.length < 12 + got.readUInt32BE(8)) return;
      const m = unpack(got.subarray(12, 12 + got.readUInt32BE(8))) as unknown[];
      settle(m[0] === 1 ? `result ${String(m[2])}` : `error ${String((m[2] as { code?: unknown }).code)}`);
    });
    socket.on('error', () => settle('connection closed'));
    socket.on('close', () => settle('connection closed'));
    socket.write(bytes);
  });
}

/** One case in a provider process of its own, so its peak RSS is the case's alone. */
export async function measureCase(c: DecodeCase): Promise<DecodeMeasurement> {
  const child = spawn(process.execPath, ['--expose-gc', PROVIDER_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const cleanup = new Cleanup();
  cleanup.add(() => stopChild(child, 'SIGTERM', 5000));
  try {
    const { match } = await untilOutput(child, /READY (\d+)/, START_TIMEOUT_MS);
    child.stdout?.resume();
    child.stderr?.resume();
    const bytes = requestBytes(1, c.args, Date.now() + ANSWER_TIMEOUT_MS);
    const answer = await ask(Number(match[1]), bytes);
    const report = await new Promise<ProviderReport>((resolve) => {
      child.once('message', (m) => resolve(m as ProviderReport));
      child.send('measure');
    });
    return { name: c.name, requestBytes: bytes.length, answer, report };
  } finally {
    await cleanup.run();
  }
}

export function formatDecodeTable(rows: readonly DecodeMeasurement[]): string[] {
  const MiB = 1024 * 1024;
  return textTable([
    ['case', 'request bytes', 'answer', 'retained (heap+ext) / byte', 'peak RSS / byte', 'longest block ms', 'block ms / MiB'],
    ...rows.map((r) => [
      r.name,
      String(r.requestBytes),
      r.answer,
      (r.report.retainedGrowth / r.requestBytes).toFixed(1),
      (r.report.peakRssGrowth / r.requestBytes).toFixed(1),
      r.report.maxBlockMs.toFixed(0),
      (r.report.maxBlockMs / (r.requestBytes / MiB)).toFixed(0),
    ]),
  ]);
}

export const decodeCostSuite: BenchSuite = {
  name: 'rpc-decode',
  description: 'what one hostile request costs a tcp provider: memory per request byte and event-loop block for bodies of empty maps, arrays, record definitions, 1M arguments',
  async run(argv) {
    if (argv.length > 0) throw new UsageError('rpc-decode takes no arguments');
    console.log('rpc-decode: each case is one request to a fresh provider process (Sink.take holds its arguments until measured)');
    const rows: DecodeMeasurement[] = [];
    for (const c of DECODE_CASES) {
      const row = await measureCase(c);
      console.log(`  ${row.name}: ${row.answer}`);
      rows.push(row);
    }
    console.log('');
    for (const line of formatDecodeTable(rows)) console.log(line);
  },
};
