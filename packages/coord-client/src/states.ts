import { Code, KeeperState, type KeeperStateValue } from '@paddock/coord-protocol';

/** The client's connection states, as reported by `client.state` and `on('state')`. */
export type ClientState =
  | 'connected' | 'connectedReadOnly' | 'disconnected' | 'expired' | 'closed' | 'authFailed';

interface StateInfo {
  /** The KeeperState carried by the None-type event that watchers receive on entering it. */
  readonly keeperState: KeeperStateValue;
  /** Requests can be sent right now. */
  readonly connected: boolean;
  /**
   * Terminal states never reconnect; requests made in them fail at once with this code
   * (ZooKeeper's ClientCnxn.conLossPacket: CLOSED → SessionExpired, AUTH_FAILED → AuthFailed).
   */
  readonly failCode: number | null;
}

export const STATES: Readonly<Record<ClientState, StateInfo>> = {
  connected: { keeperState: KeeperState.SyncConnected, connected: true, failCode: null },
  connectedReadOnly: { keeperState: KeeperState.ConnectedReadOnly, connected: true, failCode: null },
  disconnected: { keeperState: KeeperState.Disconnected, connected: false, failCode: null },
  expired: { keeperState: KeeperState.Expired, connected: false, failCode: Code.SessionExpired },
  closed: { keeperState: KeeperState.Closed, connected: false, failCode: Code.SessionExpired },
  authFailed: { keeperState: KeeperState.AuthFailed, connected: false, failCode: Code.AuthFailed },
};

export function isTerminal(state: ClientState): boolean {
  return STATES[state].failCode !== null;
}
