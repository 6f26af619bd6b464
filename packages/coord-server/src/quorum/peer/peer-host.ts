import type { Clock } from '@paddock/edges';
import type { Logger } from '../../base/logger.js';
import type { StorageError } from '../../persistence/data-dir.js';
import type { Persistence } from '../../persistence/persistence.js';
import type { RecoveredState } from '../../persistence/recovery.js';
import type { TxnLog } from '../../persistence/txn-log.js';
import type { RoleHooks } from '../../pipeline/build-pipeline.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { TreeDigest } from '../sync/digest.js';
import type { DigestMismatchCounter } from '../sync/digest-check.js';
import type { EnsembleCounters } from './ensemble-counters.js';

/** The server's state from disk for one term in a role, and the persistence that extends it. */
export interface LocalState {
  readonly recovered: RecoveredState;
  readonly persistence: Persistence;
  /** ZooKeeper's digest of recovered.tree, when a term kept one up to date (else computed when needed). */
  readonly digest?: TreeDigest;
}

/**
 * What the quorum peer needs of the server it runs in (CoordServer): its data from disk, a
 * pipeline built over it for a role, and serving clients or not.
 */
export interface PeerHost {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly dataDir: string;
  readonly tickTime: number;
  /** The server's statistics, where a learner counts digest mismatches and every role its ZAB counters (they outlive a term). */
  readonly stats: DigestMismatchCounter & { readonly ensemble: EnsembleCounters };
  /** Rebuilds the state from disk (snapshot + log) with a fresh persistence over it. */
  load(): LocalState;
  /** Rebuilds the tree and sessions from disk, for a persistence already open (after a TRUNC). */
  recover(): RecoveredState;
  /** A pipeline over `state` whose txns go to `log`, with the hooks of its role (see PipelineOptions). */
  buildPipeline(state: RecoveredState, log: TxnLog, role?: RoleHooks): Pipeline;
  /** Serves clients through `pipeline`, or (null) refuses them and drops those connected. */
  serve(pipeline: Pipeline | null): void;
  /** The data cannot be loaded or written: the server stops and says why (the bin exits non-zero). */
  stopOnStorageFailure(err: StorageError): void;
}
