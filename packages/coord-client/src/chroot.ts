/**
 * Maps the caller's paths to the server's and back. Callers always see paths relative to the
 * chroot; the server only ever sees absolute ones (ZooKeeper's prependChroot/stripChroot).
 */
export class Chroot {
  constructor(readonly root: string | null) {}

  toServer(clientPath: string): string {
    if (this.root === null) return clientPath;
    return clientPath === '/' ? this.root : this.root + clientPath;
  }

  /** A server path under the chroot, relative to it; paths outside it are returned unchanged. */
  toClient(serverPath: string): string {
    const root = this.root;
    if (root === null) return serverPath;
    if (serverPath === root) return '/';
    if (serverPath.length > root.length && serverPath.startsWith(root) && serverPath[root.length] === '/') {
      return serverPath.slice(root.length);
    }
    return serverPath;
  }

  /** True for the chroot itself and paths below it. */
  contains(serverPath: string): boolean {
    const root = this.root;
    return root === null || serverPath === root || serverPath.startsWith(`${root}/`);
  }
}
