import { Code, type WireRecord } from '@paddock/coord-protocol';
import { authProvider } from '../acl/auth-providers.js';
import type { ControlOp } from './op-table.js';
import type { ReplyEncoder } from './reply-encoder.js';
import type { ReplyStage } from './reply-stage.js';
import type { RequestStats } from './request-stats.js';
import type { ClientRequest } from './request.js';

/**
 * addAuth and SASL, answered before the stages as ZooKeeper's processPacket answers them: they
 * change the connection's identities, not the tree. Their records are the op table's.
 */
export class Auth {
  constructor(
    /** The super user's digest id; an addAuth matching it also grants `super` (skips ACLs). */
    private readonly superDigest: string | undefined,
    private readonly encoder: ReplyEncoder,
    private readonly reply: ReplyStage,
    private readonly stats: RequestStats,
  ) {}

  /** addAuth: unknown schemes and wrong credentials fail the connection, as ZooKeeper does. */
  addAuth(req: ClientRequest): void {
    let pkt;
    try {
      pkt = (req.handler as ControlOp).decode(req.body!) as WireRecord<'AuthPacket'>;
    } catch {
      this.reply.finish(req, null, 'malformed auth packet');
      return;
    }
    const conn = req.conn;
    const id = authProvider(pkt.scheme)?.authenticate(pkt.auth, conn.remoteAddress);
    if (!id) {
      this.stats.authFailed++;
      this.reply.finish(req, this.encoder.reply(req.xid, 0, Code.AuthFailed), `authentication failed for scheme ${pkt.scheme}`);
      return;
    }
    const granted = [id];
    if (id.scheme === 'digest' && this.superDigest && id.id === this.superDigest) granted.push({ scheme: 'super', id: '' });
    for (const g of granted) {
      if (!conn.authInfo.some((a) => a.scheme === g.scheme && a.id === g.id)) conn.authInfo.push(g);
    }
    this.reply.finish(req, this.encoder.reply(req.xid, 0, Code.OK), null);
  }

  /**
   * SASL is not set up: a token gets ZooKeeper's empty answer. A body that is no token, or a
   * null one, makes ZooKeeper fail outside its request processors, and it hangs up unanswered.
   */
  sasl(req: ClientRequest): void {
    const h = req.handler as ControlOp;
    let token: Buffer | null = null;
    try {
      token = (h.decode(req.body!) as WireRecord<'GetSASLRequest'>).token;
    } catch {
      // Same answer as a null token.
    }
    if (token === null) this.reply.finish(req, null, 'malformed sasl request');
    else this.reply.finish(req, this.encoder.reply(req.xid, 0, Code.OK, h.response, { token: null }), null);
  }
}
