import type { Clock } from '@paddock/edges';
import type { Logger } from '../base/logger.js';
import type { RecoveredState } from '../persistence/recovery.js';
import type { TxnLog } from '../persistence/txn-log.js';
import { SessionTracker } from '../session/session-tracker.js';
import { DataTree } from '../tree/data-tree.js';
import { WatchManager } from '../watch/watch-manager.js';
import { ApplyStage, type DigestKeeper } from './apply-stage.js';
import { Auth } from './auth.js';
import type { ClientConn } from './client-conn.js';
import { ContainerReaper } from './container-reaper.js';
import { DurabilityGate } from './durability-gate.js';
import { Handshake } from './handshake.js';
import type { Forwarder } from './forwarding.js';
import { LeaderSide } from './leader-side.js';
import { LearnerSide } from './learner-side.js';
import { LogStage } from './log-stage.js';
import { Pipeline } from './pipeline.js';
import { PrepStage } from './prep-stage.js';
import { ProposeStage, type Proposer } from './propose-stage.js';
import { ReplyEncoder } from './reply-encoder.js';
import { ReplyStage } from './reply-stage.js';
import type { RequestMetrics } from './request-metrics.js';
import { RequestStats } from './request-stats.js';
import { SessionExpiry } from './session-expiry.js';

export interface PipelineOptions {
  readonly tickTime: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly serverId: number;
  readonly extendedTypes: boolean;
  /** Refuse creates and setData past a hard quota (ZooKeeper's zookeeper.enforceQuota). Default false. */
  readonly enforceQuota?: boolean;
  /** The super user's digest id; an addAuth matching it also grants `super` (skips ACLs). */
  readonly superDigest?: string;
  readonly clock: Clock;
  readonly log: TxnLog;
  readonly logger: Logger;
  /**
   * On an ensemble learner, how writes reach the leader: the pipeline forwards them and answers
   * from the commits instead of prepping and logging. Absent on a standalone server or leader.
   */
  readonly forwarder?: Forwarder;
  /** On an ensemble leader: where applied txns go out as proposals, and the digest they carry. */
  readonly proposer?: Proposer;
  readonly digest?: DigestKeeper;
  /** Counts that outlive this pipeline (the server's, kept across an ensemble member's terms). */
  readonly metrics?: RequestMetrics;
}

/** What a role in an ensemble adds to the pipeline (see PipelineOptions). */
export type RoleHooks = Pick<PipelineOptions, 'forwarder' | 'proposer' | 'digest'>;

/**
 * Wires the stages, last first: prep → log → apply → reply, with the durability gate behind
 * reply (see README.md). The state starts from what recovery rebuilt, or empty.
 */
export function buildPipeline(o: PipelineOptions, recovered?: RecoveredState): Pipeline {
  const { clock, logger } = o;
  const tree = recovered?.tree ?? new DataTree();
  const sessions = recovered?.sessions ?? new SessionTracker(o.tickTime, clock, o.serverId);
  const stats = new RequestStats(o.metrics);
  const encoder = new ReplyEncoder();
  const gate = new DurabilityGate(o.log, stats, clock, recovered?.lastZxid ?? 0);
  o.log.onDurable = (zxid) => gate.release(zxid);

  const reply = new ReplyStage(gate, encoder, tree, stats, clock);
  // Fired watches go to the reply stage, which sends them through the gate like replies.
  const db = { tree, sessions, dataWatches: new WatchManager<ClientConn>(reply), childWatches: new WatchManager<ClientConn>(reply) };
  const apply = new ApplyStage(db, logger, o.proposer ? new ProposeStage(o.proposer, reply) : reply, o.digest ?? null);
  const log = new LogStage(o.log, clock, gate, recovered?.lastZxid ?? 0, apply);
  const prep = new PrepStage(tree, sessions, stats.counters, o.extendedTypes, logger, log, o.enforceQuota);
  const handshake = new Handshake(o, tree, sessions, log, gate, encoder, stats);
  const parts = { db, clock, stats, encoder, gate, reply, handshake, auth: new Auth(o.superDigest, encoder, reply, stats) };
  if (o.forwarder) {
    // A learner: the leader expires sessions and reaps containers; their txns arrive as commits.
    const learner = new LearnerSide(o.forwarder, sessions, apply, handshake);
    handshake.remote = learner;
    return new Pipeline({ ...parts, first: learner, learner, expiry: null, reaper: null });
  }
  return new Pipeline({
    ...parts, first: prep,
    expiry: new SessionExpiry(sessions, prep, gate, logger),
    reaper: new ContainerReaper(tree, clock, log),
    leader: new LeaderSide(sessions, prep, log, clock),
  });
}
