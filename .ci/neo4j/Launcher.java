// Minimal embedded Neo4j Community server with a Bolt listener on loopback.
//
// Usage: java -cp 'target/classes:target/lib/*' Launcher PORT HOME_DIR
//
// Starts a DatabaseManagementService rooted at HOME_DIR (store, tx logs and
// logs/debug.log all live under it), with authentication off, Bolt on
// 127.0.0.1:PORT without TLS and no HTTP connector. Prints
//     NEO4J READY bolt://127.0.0.1:PORT
// once the default database is available, then blocks until the JVM is told
// to stop (SIGTERM/SIGINT), when a shutdown hook shuts the DBMS down cleanly.
//
// Optional JVM system properties:
//   -Dicn.neo4j.pagecache=128m    page cache size (Neo4j byte-size syntax)
//   -Dicn.neo4j.txlog.keep=2 files  tx log retention policy
//   -Dicn.neo4j.conf=FILE         extra settings in neo4j.conf syntax (start.sh writes
//                                 it from NEO4J_CONF_EXTRA); applied last, so they win
//
// Meant to be started by start.sh; see README.md next to this file.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

public final class Launcher {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher PORT HOME_DIR");
            System.exit(2);
        }
        final int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            System.err.println("Launcher: PORT must be an integer, got '" + args[0] + "'");
            System.exit(2);
            return;
        }
        Path home = Path.of(args[1]).toAbsolutePath().normalize();
        Files.createDirectories(home);

        long pageCache = ByteUnit.parse(System.getProperty("icn.neo4j.pagecache", "128m"));
        String txLogKeep = System.getProperty("icn.neo4j.txlog.keep", "2 files");
        String extraConf = System.getProperty("icn.neo4j.conf", "");

        final DatabaseManagementService managementService;
        try {
            DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, txLogKeep)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    // Netty's default graceful-shutdown quiet period adds ~5 s to every stop.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));
            if (!extraConf.isEmpty()) {
                builder.loadPropertiesFromFile(Path.of(extraConf));
            }
            managementService = builder.build();
        } catch (Throwable t) {
            System.err.println("NEO4J FAILED to start: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                managementService.shutdown();
                System.out.println("NEO4J STOPPED");
            } catch (Throwable t) {
                System.err.println("NEO4J shutdown error: " + t);
                t.printStackTrace();
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        GraphDatabaseService db = managementService.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            System.err.println("NEO4J FAILED: database '" + db.databaseName() + "' not available after 2 minutes");
            System.exit(1);
        }

        System.out.println("NEO4J READY bolt://" + HOST + ":" + port);
        System.out.flush();
        stopped.await();
    }
}
