import { type Kind, MixedEnsemble } from '../support/mixed.js';
import { FaultNet, type PeerPorts } from './fault-net.js';

interface Timing {
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
}

/** tickTime 250 ms, syncLimit 4 ticks (1 s); initLimit 20 ticks leaves room for a SNAP on a busy machine. */
export const TIMING: Timing = { tickTime: 250, initLimit: 20, syncLimit: 4 };

/** A running ensemble whose every peer link goes through a FaultNet proxy. */
export interface FaultEnsemble {
  readonly ens: MixedEnsemble;
  readonly net: FaultNet;
  /** Each seat's kind, pid, Mode and log tail: what a failure prints. */
  describe(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Seats 1..n of the given kinds on loopback, each zoo.cfg listing the others at the proxies
 * it dials through. Log sync is off (snapshotSizeFactor=-1, on both kinds), so a member more
 * than the leader's 500-commit window behind gets a SNAP. Seat n leads first.
 */
export async function startFaultEnsemble(kinds: readonly Kind[], timing: Timing): Promise<FaultEnsemble> {
  const net = await FaultNet.open(kinds.map((_, i) => i + 1));
  let ens: MixedEnsemble | undefined;
  try {
    ens = await MixedEnsemble.create(kinds, { snapshotSizeFactor: '-1' }, {
      ...timing,
      peerLines: (self, members) => net.serverLines(self.id, new Map(members.map((m) => [m.id, { quorum: m.quorumPort, election: m.electionPort }]))),
    });
    const real = new Map<number, PeerPorts>(ens.ids.map((id) => {
      const m = ens!.zk.member(id);
      return [id, { quorum: m.quorumPort, election: m.electionPort }];
    }));
    net.route(real);
    // Bounded: startLed waits at most a minute for each of its two elections.
    await ens.startLed(kinds.length);
  } catch (e) {
    await ens?.stop();
    await net.close();
    throw e;
  }
  const e = ens;
  return {
    ens: e,
    net,
    async describe() {
      const modes = await Promise.all(e.ids.map((id) => e.mode(id)));
      return e.ids.map((id, i) => `--- seat ${id} (${e.kind(id)}, pid ${e.pid(id) ?? 'none'}, mode ${modes[i]}):\n${e.logTail(id, 40)}`).join('\n');
    },
    async stop() {
      await e.stop();
      await net.close();
    },
  };
}
