import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

/**
 * Hands zoo.cfg files to ZooKeeper's own QuorumPeerConfig, the class its QuorumPeerMain parses
 * with, and prints one line per file: "OK <distributed> <config text, newlines as \n>" or
 * "ERR <message>". An argument "multi:<path>" parses with zookeeper.multiAddress.enabled=true.
 * The one check ZooKeeper makes later, when the peer starts (QuorumPeer.start: "My id N not in
 * the peer list"), is made here too, so a file it would refuse at startup reads as refused.
 */
public class ConfigOracle {
    public static void main(String[] args) {
        for (String arg : args) {
            boolean multi = arg.startsWith("multi:");
            String path = multi ? arg.substring("multi:".length()) : arg;
            System.setProperty("zookeeper.multiAddress.enabled", String.valueOf(multi));
            // Both are static in QuorumPeerConfig: reset them so one file does not leak into the next.
            QuorumPeerConfig.setStandaloneEnabled(true);
            QuorumPeerConfig.setReconfigEnabled(false);
            QuorumPeerConfig config = new QuorumPeerConfig();
            try {
                config.parse(path);
                if (config.isDistributed() && !config.getQuorumVerifier().getAllMembers().containsKey(config.getServerId())) {
                    throw new RuntimeException("My id " + config.getServerId() + " not in the peer list");
                }
                String text = config.getQuorumVerifier().toString().replace("\n", "\\n");
                System.out.println("OK " + config.isDistributed() + " " + text);
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                System.out.println("ERR " + String.valueOf(root.getMessage()).replace("\n", " "));
            }
        }
    }
}
