// The Java side of test/recipes/curator-interop.test.ts: real Curator recipes contending with
// Paddock's on one path. Compiled by the test into a temp dir with Debian's jars; never commit
// a .class. The marker protocol below is the one marker.ts speaks for the Node side.
//
// Usage: java CuratorContender <connectString> <mutex|rw|latch> <basePath> <rounds>
// Under basePath: "lock" is the recipe's path, "marker" the check-and-set marker, "done-java"
// and "done-node" say that a side finished. Output, one line each: "ready" (connected; then
// "go" is awaited on stdin), "hold <kind> <markerVersion> <holders>" per acquisition, "violation <why>",
// "done" or "error <why>" (exit 1).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

public final class CuratorContender {
    /** Bound on any single wait (an acquisition, the other side queueing). */
    private static final long WAIT_MS = 20_000;
    /** Bound on compare-and-set retries among readers changing the count together. */
    private static final int MAX_CAS = 1_000;
    private static final String SIDE = "java";
    private static final String OTHER = "node";

    private final CuratorFramework client;
    private final String lockPath;
    private final String markerPath;
    private final String otherDone;

    private CuratorContender(CuratorFramework client, String base) {
        this.client = client;
        this.lockPath = base + "/lock";
        this.markerPath = base + "/marker";
        this.otherDone = base + "/done-" + OTHER;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) fail("usage: CuratorContender <connectString> <mutex|rw|latch> <basePath> <rounds>");
        String recipe = args[1];
        int rounds = Integer.parseInt(args[3]);
        CuratorFramework client = CuratorFrameworkFactory.newClient(args[0], 10_000, 10_000, new RetryNTimes(10, 100));
        client.start();
        if (!client.blockUntilConnected((int) WAIT_MS, TimeUnit.MILLISECONDS)) fail("not connected to " + args[0]);
        CuratorContender me = new CuratorContender(client, args[2]);
        say("ready");
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"go".equals(go)) fail("expected go on stdin, got " + go);
        switch (recipe) {
            case "mutex": me.mutex(rounds); break;
            case "rw": me.readWrite(rounds); break;
            case "latch": me.latch(rounds); break;
            default: fail("unknown recipe " + recipe);
        }
        client.create().forPath(args[2] + "/done-" + SIDE);
        client.close();
        say("done");
    }

    private void mutex(int rounds) throws Exception {
        InterProcessMutex lock = new InterProcessMutex(client, lockPath);
        for (int i = 0; i < rounds; i++) holdOnce(lock, "mutex", true);
    }

    /** Every third round writes, the others read: the Node side uses another mix. */
    private void readWrite(int rounds) throws Exception {
        InterProcessReadWriteLock rw = new InterProcessReadWriteLock(client, lockPath);
        for (int i = 0; i < rounds; i++) {
            boolean write = i % 3 == 0;
            holdOnce(write ? rw.writeLock() : rw.readLock(), write ? "write" : "read", write);
        }
    }

    private void holdOnce(InterProcessLock lock, String kind, boolean exclusive) throws Exception {
        if (!lock.acquire(WAIT_MS, TimeUnit.MILLISECONDS)) fail(kind + " lock not acquired within " + WAIT_MS + " ms");
        try {
            Entry entry = exclusive ? enterExclusive() : enterShared();
            say("hold " + kind + " " + entry.version() + " " + entry.holders());
            waitForOther();
            if (exclusive) leaveExclusive();
            else leaveShared();
        } finally {
            lock.release();
        }
    }

    /** A new latch per round; closing it hands leadership to the other side. */
    private void latch(int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            LeaderLatch latch = new LeaderLatch(client, lockPath, SIDE);
            latch.start();
            if (!latch.await(WAIT_MS, TimeUnit.MILLISECONDS)) fail("leadership not gained within " + WAIT_MS + " ms");
            Entry entry = enterExclusive();
            say("hold leader " + entry.version() + " " + entry.holders());
            waitForOther();
            leaveExclusive();
            String ours = latch.getOurPath();
            latch.close();
            // close() deletes our node in the background: wait, so the other side never counts it.
            waitGone(ours);
        }
    }

    // The marker: "free", "W <side>" (one exclusive holder) or "R <n>" (n readers). Every change
    // is a versioned set, so a holder that finds it in the wrong state, or loses a race with an
    // exclusive holder, has seen two holders at once. The version after our set orders holds.

    /** The marker's version after our entry, and how many held it then (us included). */
    private record Entry(int version, int holders) {}

    private Entry enterExclusive() throws Exception {
        Stat stat = new Stat();
        String seen = read(stat);
        if (!seen.equals("free")) violation("exclusive entry found the marker " + seen);
        try {
            return new Entry(client.setData().withVersion(stat.getVersion()).forPath(markerPath, bytes("W " + SIDE)).getVersion(), 1);
        } catch (KeeperException.BadVersionException e) {
            violation("the marker changed during an exclusive entry");
            return new Entry(-1, 2);
        }
    }

    private void leaveExclusive() throws Exception {
        Stat stat = new Stat();
        String seen = read(stat);
        if (!seen.equals("W " + SIDE)) violation("exclusive exit found the marker " + seen);
        try {
            client.setData().withVersion(stat.getVersion()).forPath(markerPath, bytes("free"));
        } catch (KeeperException.BadVersionException e) {
            violation("the marker changed during an exclusive exit");
        }
    }

    private Entry enterShared() throws Exception {
        for (int i = 0; i < MAX_CAS; i++) {
            Stat stat = new Stat();
            String seen = read(stat);
            if (seen.startsWith("W ")) violation("shared entry found the marker " + seen);
            int readers = seen.startsWith("R ") ? Integer.parseInt(seen.substring(2)) : 0;
            try {
                int version = client.setData().withVersion(stat.getVersion()).forPath(markerPath, bytes("R " + (readers + 1))).getVersion();
                return new Entry(version, readers + 1);
            } catch (KeeperException.BadVersionException e) {
                // Another reader counted itself first: read again.
            }
        }
        fail("shared entry lost " + MAX_CAS + " races in a row");
        return null;
    }

    private void leaveShared() throws Exception {
        for (int i = 0; i < MAX_CAS; i++) {
            Stat stat = new Stat();
            String seen = read(stat);
            if (!seen.startsWith("R ")) {
                violation("shared exit found the marker " + seen);
                return;
            }
            int readers = Integer.parseInt(seen.substring(2));
            try {
                client.setData().withVersion(stat.getVersion()).forPath(markerPath, bytes(readers <= 1 ? "free" : "R " + (readers - 1)));
                return;
            } catch (KeeperException.BadVersionException e) {
                // Another reader changed the count: read again.
            }
        }
        fail("shared exit lost " + MAX_CAS + " races in a row");
    }

    private String read(Stat stat) throws Exception {
        return new String(client.getData().storingStatIn(stat).forPath(markerPath), StandardCharsets.UTF_8);
    }

    /**
     * Holds on until the other side has a node in the lock's directory (it waits behind us or
     * shares with us) or has finished: then a release always hands over, and the turns alternate.
     */
    private void waitForOther() throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Semaphore changed = new Semaphore(0);
        Watcher wake = event -> changed.release();
        for (;;) {
            List<String> kids = client.getChildren().usingWatcher(wake).forPath(lockPath);
            if (kids.size() >= 2) return;
            if (client.checkExists().usingWatcher(wake).forPath(otherDone) != null) return;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !changed.tryAcquire(left, TimeUnit.MILLISECONDS)) fail("the other side did not queue within " + WAIT_MS + " ms");
        }
    }

    private void waitGone(String path) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Semaphore changed = new Semaphore(0);
        Watcher wake = event -> changed.release();
        while (path != null && client.checkExists().usingWatcher(wake).forPath(path) != null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !changed.tryAcquire(left, TimeUnit.MILLISECONDS)) fail(path + " still there after " + WAIT_MS + " ms");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void violation(String why) {
        say("violation " + why);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void fail(String why) {
        say("error " + why);
        System.exit(1);
    }
}
