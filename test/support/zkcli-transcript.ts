import { spawn } from 'node:child_process';
import { ZK_CLI } from './zookeeper.js';

/**
 * Runs Debian's zkCli.sh with commands on stdin and turns its transcript into something two
 * servers (or zkCli.sh and coord-cli) can be compared on: what differs legitimately between
 * runs (dates, zxid values, session ids, the port, logging noise, when the event thread gets to
 * print) is normalized, everything else has to match line for line.
 */

export interface Transcript {
  /** Command output in order, watch events taken out. */
  readonly lines: string[];
  /** Watch events in the order the client printed them. */
  readonly events: string[];
}

const RUN_MS = 30_000;

/** A loopback port, or a whole connect string (an ensemble's). */
type Server = number | string;
const serverString = (server: Server): string => (typeof server === 'number' ? `127.0.0.1:${server}` : server);

/** One zkCli.sh launch (a JVM start, so keep them few); resolves with stdout and stderr merged. */
export function runZkCli(server: Server, commands: readonly string[], timeoutMs = RUN_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    // One pipe for both streams keeps the client's own ordering of stdout and stderr lines.
    const child = spawn('sh', ['-c', 'exec "$0" -server "$1" 2>&1', ZK_CLI, serverString(server)], {
      detached: true, // own process group: a hung client is killed with the JVM zkCli.sh started
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'UTC', CLIENT_JVMFLAGS: '-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC' },
    });
    const out: Buffer[] = [];
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`zkCli.sh did not finish within ${timeoutMs} ms; output so far:\n${Buffer.concat(out).toString()}`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(out).toString('utf8')); });
    child.stdin.end([...commands, 'quit', ''].join('\n'));
  });
}

/** Numbers distinct values by order of first appearance, so only their equality pattern is compared. */
class Renamer {
  private readonly seen = new Map<string, string>();
  constructor(private readonly label: string) {}
  name(v: string): string {
    let n = this.seen.get(v);
    if (n === undefined) {
      n = `<${this.label}#${this.seen.size + 1}>`;
      this.seen.set(v, n);
    }
    return n;
  }
}

const EPOCH = 'Thu Jan 01 00:00:00 UTC 1970';
/** A TTL node's ephemeralOwner is 0xff.. followed by the TTL: a value, not a session id. */
const TTL_OWNER = /^0xff[0-9a-f]{14}$/;

export function normalizeZkCli(raw: string, server: Server): Transcript {
  const zxids = new Renamer('zxid');
  const sessions = new Renamer('session');
  const lines: string[] = [];
  const events: string[] = [];
  const input = raw.split('\n');
  if (input.at(-1) === '') input.pop();
  for (let i = 0; i < input.length; i++) {
    const line = input[i] ?? '';
    if (line.startsWith('SLF4J:')) continue;
    // The event thread prints "\nWATCHER::" and "\n" + event as two printlns, each one write
    // of two lines; command output from the main thread may land before, between or after
    // them, so each two-line unit is lifted out on its own.
    if (line === 'WATCHER::' || line.startsWith('WatchedEvent ')) {
      if (lines.at(-1) === '') lines.pop();
      if (line !== 'WATCHER::') events.push(line);
      continue;
    }
    let m: RegExpMatchArray | null;
    if (line === `Connecting to ${serverString(server)}`) {
      lines.push('Connecting to <server>');
    } else if ((m = /^([cmp]Zxid) = (0x[0-9a-f]+)$/.exec(line))) {
      lines.push(`${m[1]} = ${zxids.name(m[2] ?? '')}`);
    } else if ((m = /^([cm]time) = (.*)$/.exec(line))) {
      lines.push(`${m[1]} = ${m[2] === EPOCH ? EPOCH : '<date>'}`);
    } else if ((m = /^ephemeralOwner = (0x[0-9a-f]+)$/.exec(line)) && m[1] !== '0x0' && !TTL_OWNER.test(m[1] ?? '')) {
      lines.push(`ephemeralOwner = ${sessions.name(m[1] ?? '')}`);
    } else {
      lines.push(line);
    }
  }
  // Whether "state:Closed" gets printed before the JVM exits is a race inside the client.
  if (events.at(-1)?.includes('state:Closed')) events.pop();
  return { lines, events };
}
