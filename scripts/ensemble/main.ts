import { relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseEnsembleArgs, USAGE, UsageError, type EnsembleArgs } from './args.js';
import { describeExit, Member } from './member.js';
import { DATA_ROOT, planEnsemble, writeMemberFiles, type EnsemblePlan, type PortKind } from './plan.js';
import { portInUse, serverMode } from './probe.js';

// `npm run ensemble`: a Paddock ensemble of 3 (or 5) coord-server processes on this machine.
// Every way out goes through `finish`, which stops whatever members still run before exiting.

/** How long every member has to elect, sync and serve before the launcher gives up. */
const SERVE_MAX_MS = 60_000;
const POLL_MS = 200;
/** A member that has not stopped this long after the signal is killed. */
const STOP_GRACE_MS = 10_000;
/** The ports a member needs to start; a busy AdminServer port is only logged by the member. */
const NEEDED_PORTS: readonly PortKind[] = ['client', 'quorum', 'election'];

const members: Member[] = [];
let finishing: Promise<never> | undefined;
process.on('exit', () => {
  for (const m of members) m.killNow();
});

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Stops every member still running (with `signal`), says `line`, and exits with `status`; the first call wins. */
function finish(status: number, line: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<never> {
  finishing ??= stopAll(status, line, signal);
  return finishing;
}

async function stopAll(status: number, line: string, signal: NodeJS.Signals): Promise<never> {
  (status === 0 ? say : (l: string) => process.stderr.write(`${l}\n`))(line);
  const stop = async (m: Member) => [m, await m.stop(signal, STOP_GRACE_MS)] as const;
  const exits = await Promise.all(members.filter((m) => m.running).map(stop));
  const failed = exits.filter(([, e]) => e.code !== 0);
  for (const [m, e] of failed) process.stderr.write(`ensemble: ${m.name} stopped with ${describeExit(e)}: ${m.lastWords()}\n`);
  say(`ensemble: ${members.length === 0 ? 'nothing was started' : `all ${members.length} servers stopped`}`);
  process.exit(failed.length > 0 && status === 0 ? 1 : status);
}

async function busyPort(plan: EnsemblePlan): Promise<string | undefined> {
  for (const m of plan.members) {
    for (const kind of NEEDED_PORTS) {
      if (await portInUse(m.ports[kind])) return `port ${m.ports[kind]} (server.${m.id}'s ${kind} port) is in use`;
    }
  }
  return undefined;
}

/** A member that exits while the launcher is not stopping them ends the run. */
function watch(m: Member): void {
  void m.exited.then((exit) => {
    if (finishing) return;
    const log = relative(process.cwd(), m.logPath);
    void finish(1, `ensemble: ${m.name} (pid ${m.pid}) exited with ${describeExit(exit)}: ${m.lastWords()} (log: ${log}); stopping the others`);
  });
}

/** Each member's srvr Mode once all of them serve. */
async function waitForModes(): Promise<string[]> {
  const deadline = Date.now() + SERVE_MAX_MS;
  for (;;) {
    const modes = await Promise.all(members.map((m) => serverMode(m.plan.ports.client)));
    if (finishing) return finishing;
    if (modes.every((mode) => mode !== undefined)) return modes as string[];
    if (Date.now() > deadline) {
      const waiting = members.filter((_, i) => modes[i] === undefined).map((m) => m.name).join(', ');
      return finish(1, `ensemble: ${waiting} not serving after ${SERVE_MAX_MS / 1000} s (see their server.log); stopping all`);
    }
    await delay(POLL_MS);
  }
}

function report(plan: EnsemblePlan, modes: readonly string[]): void {
  for (const [i, m] of members.entries()) {
    const p = m.plan.ports;
    say(`${m.name}  pid ${m.pid}  client 127.0.0.1:${p.client}  quorum ${p.quorum}  election ${p.election}  admin ${p.admin}  ${modes[i]}`);
  }
  const leader = members.find((_, i) => modes[i] === 'leader');
  say(`ensemble: ${members.length} servers serve; ${leader ? `${leader.name} leads` : 'no leader reported'}`);
  say(`connect string: ${plan.connectString}`);
  say(`Ctrl-C stops them all (logs: ${DATA_ROOT}/serverN/server.log)`);
}

async function run(args: EnsembleArgs): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void finish(0, `ensemble: ${signal}, stopping ${members.length} servers`, signal);
    });
  }
  const plan = planEnsemble(args.size, args.basePort, process.cwd());
  const busy = await busyPort(plan);
  if (busy) return void (await finish(1, `ensemble: ${busy}; stop what holds it, or move every port with --base-port`));
  say(`ensemble: starting ${args.size} servers, data in ${DATA_ROOT}`);
  for (const [id, config] of writeMemberFiles(plan)) {
    const m = new Member(plan.members[id - 1]!, config);
    members.push(m);
    watch(m);
  }
  report(plan, await waitForModes());
}

function main(argv: readonly string[]): void {
  let args;
  try {
    args = parseEnsembleArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ensemble: ${err.message} (--help lists the options)\n`);
    process.exit(1);
  }
  if (args === 'help') return void process.stdout.write(USAGE);
  run(args).catch((err: unknown) => finish(1, `ensemble: ${err instanceof Error ? err.message : String(err)}`));
}

main(process.argv.slice(2));
