// The linearizability checker's public surface, for tests, the simulator and the real-process
// harness (README.md beside this file says what it checks and how to record a history).
export { checkLinearizability, type CheckOptions, type CheckResult } from './check.js';
export type { Violation } from './counterexample.js';
export type { History, HistoryOp } from './history.js';
export type { Model } from './model.js';
export type { ReadMode } from './prepare.js';
export { zookeeperModel, type ZkModelOptions } from './zookeeper-model.js';
export type { ZkErrorName, ZkInput, ZkOutput } from './zk-ops.js';
