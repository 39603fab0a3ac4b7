package lossmeter.server.command;

import java.util.List;
import java.util.Locale;

import lossmeter.server.aof.AofWriter;
import lossmeter.server.keyspace.Database;

/** The text of INFO, section by section, with Redis's field names. */
final class ServerInfo {
    /** The Redis version whose commands, replies and files this server follows. */
    static final String REDIS_COMPAT_VERSION = "7.0.0";
    static final String SERVER_VERSION = "0.1.0";

    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "keyspace");

    private ServerInfo() {
    }

    static String render(Engine e, List<String> requested) {
        List<String> sections = requested.isEmpty() || requested.contains("default") || requested.contains("all")
                || requested.contains("everything") ? DEFAULT : requested;
        StringBuilder sb = new StringBuilder();
        for (String s : sections) {
            int before = sb.length();
            if (!sb.isEmpty()) sb.append("\r\n");
            int mark = sb.length();
            switch (s.toLowerCase(Locale.ROOT)) {
                case "server" -> server(e, sb);
                case "clients" -> clients(e, sb);
                case "memory" -> memory(sb);
                case "persistence" -> persistence(e, sb);
                case "stats" -> stats(e, sb);
                case "replication" -> sb.append("# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n");
                case "cpu" -> cpu(sb);
                case "keyspace" -> keyspace(e, sb);
                default -> sb.setLength(before);
            }
            if (sb.length() == mark) sb.setLength(before);
        }
        return sb.toString();
    }

    private static void server(Engine e, StringBuilder sb) {
        long up = (System.currentTimeMillis() - e.stats.startMillis) / 1000;
        sb.append("# Server\r\n")
                .append("redis_version:").append(REDIS_COMPAT_VERSION).append("\r\n")
                .append("lossmeter_server_version:").append(SERVER_VERSION).append("\r\n")
                .append("server_name:lossmeter-target-server\r\n")
                .append("redis_mode:standalone\r\n")
                .append("os:").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append("\r\n")
                .append("arch_bits:64\r\n")
                .append("multiplexing_api:java-nio\r\n")
                .append("java_version:").append(Runtime.version()).append("\r\n")
                .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
                .append("run_id:").append(e.runId).append("\r\n")
                .append("tcp_port:").append(e.hooks.port()).append("\r\n")
                .append("uptime_in_seconds:").append(up).append("\r\n")
                .append("uptime_in_days:").append(up / 86400).append("\r\n")
                .append("hz:").append(e.cfg.hz).append("\r\n")
                .append("executable:lossmeter-target-server\r\n")
                .append("config_file:").append(e.cfg.configFile).append("\r\n");
    }

    private static void clients(Engine e, StringBuilder sb) {
        List<Client> clients = e.hooks.clients();
        // Redis reports the peak of the last few seconds; the largest buffers right now are the cheap
        // approximation (an INFO in a loop still sees a slow reader's growing replies).
        long in = 0;
        long out = 0;
        for (Client c : clients) {
            in = Math.max(in, c.queryBufferBytes);
            out = Math.max(out, c.out.length());
        }
        sb.append("# Clients\r\nconnected_clients:").append(clients.size()).append("\r\n")
                .append("cluster_connections:0\r\n")
                .append("maxclients:").append(e.cfg.maxclients).append("\r\n")
                .append("client_recent_max_input_buffer:").append(in).append("\r\n")
                .append("client_recent_max_output_buffer:").append(out).append("\r\n")
                .append("blocked_clients:0\r\n")
                .append("tracking_clients:0\r\n")
                .append("clients_in_timeout_table:0\r\n");
    }

    private static void memory(StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        sb.append("# Memory\r\nused_memory:").append(used).append("\r\n")
                .append("used_memory_human:").append(used / (1024 * 1024)).append("M\r\n")
                .append("maxmemory:0\r\nmaxmemory_policy:noeviction\r\n");
    }

    private static void persistence(Engine e, StringBuilder sb) {
        AofWriter aof = e.aof;
        Persistence.Status p = e.persistence.status();
        sb.append("# Persistence\r\n")
                .append("loading:").append(e.loading ? 1 : 0).append("\r\n")
                .append("async_loading:0\r\n")
                .append("current_cow_peak:0\r\ncurrent_cow_size:0\r\n")
                .append("rdb_changes_since_last_save:").append(e.dirty - p.dirtyAtLastSave()).append("\r\n")
                .append("rdb_bgsave_in_progress:").append(p.bgsaveInProgress() ? 1 : 0).append("\r\n")
                .append("rdb_last_save_time:").append(e.lastSaveUnix).append("\r\n")
                .append("rdb_last_bgsave_status:").append(p.lastBgsaveOk() ? "ok" : "err").append("\r\n")
                .append("rdb_last_bgsave_time_sec:").append(p.lastBgsaveSeconds()).append("\r\n")
                .append("rdb_current_bgsave_time_sec:").append(p.currentBgsaveSeconds()).append("\r\n")
                .append("rdb_saves:").append(p.rdbSaves()).append("\r\n")
                .append("aof_enabled:").append(e.cfg.appendonly ? 1 : 0).append("\r\n")
                .append("aof_rewrite_in_progress:").append(p.rewriteInProgress() ? 1 : 0).append("\r\n")
                .append("aof_rewrite_scheduled:").append(p.rewriteScheduled() ? 1 : 0).append("\r\n")
                .append("aof_last_rewrite_time_sec:").append(p.lastRewriteSeconds()).append("\r\n")
                .append("aof_current_rewrite_time_sec:").append(p.currentRewriteSeconds()).append("\r\n")
                .append("aof_last_bgrewrite_status:").append(p.lastRewriteOk() ? "ok" : "err").append("\r\n")
                .append("aof_rewrites:").append(p.rewrites()).append("\r\n")
                .append("aof_last_write_status:").append(aof == null || aof.lastWriteOk() ? "ok" : "err").append("\r\n");
        if (aof != null) {
            sb.append("aof_current_size:").append(aof.currentSize()).append("\r\n")
                    .append("aof_base_size:").append(aof.baseSize()).append("\r\n")
                    .append("aof_pending_rewrite:0\r\n")
                    .append("aof_buffer_length:").append(aof.bufferLength()).append("\r\n")
                    .append("aof_pending_bio_fsync:").append(aof.pendingBioFsync()).append("\r\n")
                    .append("aof_delayed_fsync:").append(aof.delayedFsync()).append("\r\n");
        }
    }

    private static void stats(Engine e, StringBuilder sb) {
        Stats s = e.stats;
        sb.append("# Stats\r\n")
                .append("total_connections_received:").append(s.totalConnections).append("\r\n")
                .append("total_commands_processed:").append(s.totalCommands).append("\r\n")
                .append("total_net_input_bytes:").append(s.totalNetInputBytes).append("\r\n")
                .append("total_net_output_bytes:").append(s.totalNetOutputBytes).append("\r\n")
                .append("rejected_connections:").append(s.rejectedConnections).append("\r\n")
                .append("client_query_buffer_limit_disconnections:").append(s.clientQueryBufferLimitDisconnections).append("\r\n")
                .append("client_output_buffer_limit_disconnections:").append(s.clientOutputBufferLimitDisconnections).append("\r\n")
                .append("expired_keys:").append(s.expiredKeys).append("\r\n")
                .append("keyspace_hits:").append(s.keyspaceHits).append("\r\n")
                .append("keyspace_misses:").append(s.keyspaceMisses).append("\r\n");
    }

    private static void cpu(StringBuilder sb) {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double cpu = os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() / 1e9 : 0;
        sb.append("# CPU\r\nused_cpu_sys:0.000000\r\nused_cpu_user:").append(String.format(Locale.ROOT, "%.6f", cpu)).append("\r\n");
    }

    private static void keyspace(Engine e, StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        for (Database d : e.dbs) {
            if (d.size() == 0) continue;
            sb.append("db").append(d.id()).append(":keys=").append(d.size()).append(",expires=").append(d.expiresSize())
                    .append(",avg_ttl=0\r\n");
        }
    }
}
