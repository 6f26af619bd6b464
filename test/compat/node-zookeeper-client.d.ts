/**
 * The part of node-zookeeper-client 1.1.x (CommonJS, untyped) that the compat suite uses.
 * Callbacks get the library's Exception for ZooKeeper outcomes; 64-bit Stat fields arrive as
 * 8-byte big-endian Buffers.
 */
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  namespace zookeeper {
    interface Stat {
      czxid: Buffer;
      mzxid: Buffer;
      ctime: Buffer;
      mtime: Buffer;
      version: number;
      cversion: number;
      aversion: number;
      ephemeralOwner: Buffer;
      dataLength: number;
      numChildren: number;
      pzxid: Buffer;
    }

    class Id {
      constructor(scheme: string, id: string);
      readonly scheme: string;
      readonly id: string;
    }

    class ACL {
      constructor(permission: number, id: Id);
      readonly permission: number;
      readonly id: Id;
      static readonly OPEN_ACL_UNSAFE: ACL[];
      static readonly CREATOR_ALL_ACL: ACL[];
      static readonly READ_ACL_UNSAFE: ACL[];
    }

    class Exception extends Error {
      readonly code: number;
      readonly path: string | undefined;
      getCode(): number;
      getName(): string;
      getPath(): string | undefined;
      static readonly OK: 0;
      static readonly SYSTEM_ERROR: -1;
      static readonly CONNECTION_LOSS: -4;
      static readonly MARSHALLING_ERROR: -5;
      static readonly UNIMPLEMENTED: -6;
      static readonly BAD_ARGUMENTS: -8;
      static readonly API_ERROR: -100;
      static readonly NO_NODE: -101;
      static readonly NO_AUTH: -102;
      static readonly BAD_VERSION: -103;
      static readonly NO_CHILDREN_FOR_EPHEMERALS: -108;
      static readonly NODE_EXISTS: -110;
      static readonly NOT_EMPTY: -111;
      static readonly SESSION_EXPIRED: -112;
      static readonly INVALID_ACL: -114;
      static readonly AUTH_FAILED: -115;
    }

    class Event {
      readonly type: number;
      readonly name: string;
      readonly path: string;
      getType(): number;
      getName(): string;
      getPath(): string;
      static readonly NODE_CREATED: 1;
      static readonly NODE_DELETED: 2;
      static readonly NODE_DATA_CHANGED: 3;
      static readonly NODE_CHILDREN_CHANGED: 4;
    }

    interface State {
      readonly name: string;
      readonly code: number;
    }

    /** One entry of a committed (or failed) transaction's results. */
    interface OpResult {
      type: number;
      path?: string;
      stat?: Stat;
      err?: number;
    }

    type Callback<T> = (error: Exception | Error | null, result: T) => void;
    type Watcher = (event: Event) => void;

    class Transaction {
      create(path: string, data?: Buffer, acls?: ACL[], mode?: number): Transaction;
      setData(path: string, data: Buffer | null, version?: number): Transaction;
      check(path: string, version?: number): Transaction;
      remove(path: string, version?: number): Transaction;
      commit(callback: Callback<OpResult[]>): void;
    }

    interface ClientOptions {
      sessionTimeout?: number;
      spinDelay?: number;
      retries?: number;
    }

    class Client extends EventEmitter {
      connect(): void;
      close(): void;
      getState(): State;
      getSessionId(): Buffer;
      getSessionPassword(): Buffer;
      getSessionTimeout(): number;
      addAuthInfo(scheme: string, auth: Buffer): void;
      create(path: string, data: Buffer | undefined, acls: ACL[], mode: number, callback: Callback<string>): void;
      remove(path: string, version: number, callback: (error: Exception | Error | null) => void): void;
      removeRecursive(path: string, version: number, callback: (error: Exception | Error | null) => void): void;
      exists(path: string, watcher: Watcher | undefined, callback: Callback<Stat | null>): void;
      getChildren(
        path: string, watcher: Watcher | undefined,
        callback: (error: Exception | Error | null, children: string[], stat: Stat) => void,
      ): void;
      listSubTreeBFS(path: string, callback: Callback<string[]>): void;
      getData(
        path: string, watcher: Watcher | undefined,
        callback: (error: Exception | Error | null, data: Buffer | undefined, stat: Stat) => void,
      ): void;
      setData(path: string, data: Buffer, version: number, callback: Callback<Stat>): void;
      getACL(path: string, callback: (error: Exception | Error | null, acls: ACL[], stat: Stat) => void): void;
      setACL(path: string, acls: ACL[], version: number, callback: Callback<Stat>): void;
      mkdirp(path: string, data: Buffer | undefined, acls: ACL[], mode: number, callback: Callback<string>): void;
      transaction(): Transaction;
    }

    function createClient(connectionString: string, options?: ClientOptions): Client;

    const CreateMode: {
      readonly PERSISTENT: 0;
      readonly EPHEMERAL: 1;
      readonly PERSISTENT_SEQUENTIAL: 2;
      readonly EPHEMERAL_SEQUENTIAL: 3;
    };
    const Permission: {
      readonly READ: 1;
      readonly WRITE: 2;
      readonly CREATE: 4;
      readonly DELETE: 8;
      readonly ADMIN: 16;
      readonly ALL: 31;
    };
    const State: Readonly<Record<
      'DISCONNECTED' | 'SYNC_CONNECTED' | 'AUTH_FAILED' | 'CONNECTED_READ_ONLY' | 'SASL_AUTHENTICATED' | 'EXPIRED',
      State
    >>;
  }

  export = zookeeper;
}
