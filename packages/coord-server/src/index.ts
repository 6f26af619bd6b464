// Placeholder: the lead engineer is writing the server; this pins the public API.
export interface CoordServerOptions {
  host: string;
  port: number;
  dataDir: string;
  tickTime?: number;
  serverId?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** How often empty containers and expired TTL nodes are looked for (ZooKeeper's znode.container.checkIntervalMs). */
  containerCheckIntervalMs?: number;
  /** jute.maxbuffer: largest frame accepted from a client. */
  maxBuffer?: number;
}

export class CoordServer {
  private constructor(readonly host: string, readonly port: number) {}
  static async start(_opts: CoordServerOptions): Promise<CoordServer> {
    throw new Error('CoordServer not implemented yet');
  }
  async close(): Promise<void> {}
}
