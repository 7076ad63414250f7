package io.parametric.shared.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster or Sentinel URL taken apart (plain {@code redis://} URLs go to Jedis as they
 * are):
 *
 * <pre>{@code
 * redis-cluster://[user:password@]host:port[,host:port...]      rediss-cluster:// for TLS
 * redis-sentinel://[user:password@]host:port[,host:port...]/<master>   rediss-sentinel:// for TLS
 * }</pre>
 *
 * The credentials are those of the data nodes (percent-encoded as in {@code redis://}); sentinels
 * get them only when they require them. Messages about a bad URL never hold its password.
 *
 * @param kind cluster or sentinel
 * @param tls true for the {@code rediss-} schemes
 * @param user the user, or null for the default user
 * @param password the password, or null
 * @param nodes cluster seed nodes or sentinels, at least one
 * @param master the Sentinel master name; null for a cluster
 */
record RedisAddress(Kind kind, boolean tls, String user, String password, List<Node> nodes, String master) {

    /** What a URL names. */
    enum Kind {
        /** {@code redis-cluster://}: seed nodes of a Redis Cluster. */
        CLUSTER,
        /** {@code redis-sentinel://}: sentinels watching a master by name. */
        SENTINEL
    }

    /**
     * @param host a host name or address
     * @param port its port
     */
    record Node(String host, int port) {}

    /**
     * @param url any Redis URL
     * @return true when it names a cluster or a Sentinel group (one of the four schemes above)
     */
    static boolean isMultiNode(String url) {
        return url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://")
                || url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
    }

    /**
     * @param url a URL for which {@link #isMultiNode} is true
     * @return its parts
     * @throws IllegalArgumentException saying what is wrong, without the password
     */
    static RedisAddress parse(String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = url.substring(0, schemeEnd);
        Kind kind = scheme.endsWith("cluster") ? Kind.CLUSTER : Kind.SENTINEL;
        String rest = url.substring(schemeEnd + 3);
        // Host names never hold '@': the credentials end at the last one.
        int at = rest.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("the credentials must be user:password or :password");
            }
            user = colon == 0 ? null : decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String master = null;
        if (kind == Kind.SENTINEL) {
            if (path.isEmpty() || path.contains("/")) {
                throw new IllegalArgumentException("a Sentinel URL ends with /<master name>, e.g. "
                        + scheme + "://sentinel-1:26379,sentinel-2:26379/mymaster");
            }
            master = decode(path);
        } else if (!path.isEmpty()) {
            throw new IllegalArgumentException("a Cluster URL has no path (a cluster has only database 0), e.g. "
                    + scheme + "://node-1:6379,node-2:6379");
        }
        return new RedisAddress(kind, scheme.startsWith("rediss"), user, password, nodes(hosts), master);
    }

    private static List<Node> nodes(String hosts) {
        List<Node> nodes = new ArrayList<>();
        for (String hostPort : hosts.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(hostPort.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                nodes.add(new Node(host, port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + hostPort + "' has no port between 1 and 65535");
            }
        }
        return List.copyOf(nodes);
    }

    /** Percent-decoding as in {@code redis://} URLs, where '+' stays '+'. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
