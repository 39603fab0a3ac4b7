package lossmeter.faults.node;

import java.util.List;

/**
 * What runs that were killed before their cleanups ran (SIGKILL of the harness, a machine that lost
 * power) left on a node. A node records every process group, mount and temp dir in its ledger
 * before it makes it, with the id of the run and of the harness process; a sweep removes the
 * entries whose harness is gone and never touches a live run's. How entries are stored and
 * removed is the node's business: files and process group ids on this machine, the same over SSH,
 * labels on a container host.
 */
public interface Leftovers {
    /**
     * Removes what runs whose harness is gone left on this node: kills their process groups (only
     * groups still proven to be theirs), detaches their mounts, deletes their temp dirs. Returns one
     * line per thing removed, for people; empty when there was nothing.
     */
    List<String> sweep();
}
