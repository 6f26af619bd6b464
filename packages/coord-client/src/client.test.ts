import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Code, KeeperError, OpCode, codec, encodeMultiResponse } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { CoordClient } from './client.js';
import { FakeServer, type FakeConnection } from './testing/fake-server.js';

let server: FakeServer;
let client: CoordClient;
let conn: FakeConnection;

beforeEach(async () => {
  server = await FakeServer.start();
  const pending = CoordClient.connect(server.connectString, { clock: new ManualClock(), random: () => 0 });
  conn = await server.connections.next();
  client = await pending;
});

afterEach(async () => {
  client.dropConnection();
  void client.close();
  await server.close();
});

const stat = {
  czxid: 1, mzxid: 2, ctime: 3, mtime: 4, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n,
  dataLength: 0, numChildren: 0, pzxid: 1,
};

/** Reply fields where ZooKeeper sends jute's null (length -1), and how the client reads them. */
describe("replies carrying jute's null", () => {
  it('getData and a multiRead getData of a node whose data is null', async () => {
    const get = client.getData('/n');
    conn.reply((await conn.requests.next()).xid, 5, 0, (w) => codec('GetDataResponse').encode(w, { data: null, stat }));
    expect(await get).toEqual({ data: Buffer.alloc(0), nullData: true, stat });
    const read = client.multiRead([{ type: 'getData', path: '/n' }, { type: 'getData', path: '/e' }]);
    conn.reply((await conn.requests.next()).xid, 5, 0, (w) => encodeMultiResponse(w, [
      { type: OpCode.getData, err: 0, body: { data: null, stat } },
      { type: OpCode.getData, err: 0, body: { data: Buffer.alloc(0), stat } },
    ]));
    expect((await read).map((r) => r.type === 'getData' && r.nullData)).toEqual([true, false]);
  });

  it('sync, whose reply echoes a path that may be null', async () => {
    const done = client.sync('/a');
    conn.reply((await conn.requests.next()).xid, 5, 0, (w) => codec('SyncResponse').encode(w, { path: null as unknown as string }));
    await expect(done).resolves.toBeUndefined();
  });

  it('a multiRead whose header fails although the results of the ops before the failure came with it', async () => {
    const read = client.multiRead([{ type: 'getData', path: '/n' }, { type: 'getData', path: '/m' }]);
    conn.reply((await conn.requests.next()).xid, 5, Code.MarshallingError, (w) => encodeMultiResponse(w, [
      { type: OpCode.getData, err: 0, body: { data: Buffer.from('x'), stat } },
    ]));
    await expect(read).rejects.toMatchObject({ constructor: KeeperError, code: Code.MarshallingError });
  });
});
