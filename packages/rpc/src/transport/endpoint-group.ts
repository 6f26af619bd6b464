import { EventEmitter } from 'node:events';
import type { Invocation } from '../call/invocation.js';
import type { CallTarget, ClientEndpoint, EndpointEvents, EndpointState } from './transport.js';

/** The group's state is its best member's, in this order. */
const RANK: Readonly<Record<EndpointState, number>> = { open: 4, draining: 3, connecting: 2, backoff: 1, closed: 0 };

/**
 * Several endpoints to one provider address used as one (Dubbo's `connections`): a call goes
 * to the next available member, round robin, so a busy client spreads its calls over that many
 * sockets. Each member connects, reconnects and drains on its own; the group is available
 * while one member is, and its state is its best member's.
 */
export class EndpointGroup extends EventEmitter<EndpointEvents> implements ClientEndpoint {
  private next = 0;
  private current: EndpointState;
  private readonly onMemberState = (): void => this.update();

  constructor(readonly address: string, private readonly members: readonly ClientEndpoint[]) {
    super();
    if (members.length === 0) throw new TypeError(`an endpoint group for ${address} needs at least one endpoint`);
    for (const m of members) m.on('state', this.onMemberState);
    this.current = this.best();
  }

  get state(): EndpointState {
    return this.current;
  }

  get available(): boolean {
    for (const m of this.members) if (m.available) return true;
    return false;
  }

  /** How many endpoints the group spreads calls over. */
  get size(): number {
    return this.members.length;
  }

  call(inv: Invocation, target: CallTarget): Promise<unknown> {
    const n = this.members.length;
    for (let tried = 0; tried < n; tried++) {
      const m = this.members[this.next] as ClientEndpoint;
      this.next = this.next + 1 === n ? 0 : this.next + 1;
      if (m.available) return m.call(inv, target);
    }
    // None available: the next member refuses with its own reason (not connected, shutting down, busy).
    return (this.members[this.next] as ClientEndpoint).call(inv, target);
  }

  ready(): Promise<void> {
    return Promise.all(this.members.map((m) => m.ready())).then(() => undefined);
  }

  close(): void {
    for (const m of this.members) m.close();
  }

  private best(): EndpointState {
    let state: EndpointState = 'closed';
    for (const m of this.members) if (RANK[m.state] > RANK[state]) state = m.state;
    return state;
  }

  private update(): void {
    const state = this.best();
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }
}
