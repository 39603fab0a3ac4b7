package lossmeter.workloads.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What one key holds at the start of a crash cycle: the sequence of writes that produced it,
 * 1-based by position. An entry is null where the write is unknown (an info op filled the slot).
 */
final class KeyLog {
    final List<Write> slots = new ArrayList<>();

    int size() {
        return slots.size();
    }

    Write at(int position) {
        return slots.get(position - 1);
    }

    KeyLog prefix(int n) {
        KeyLog k = new KeyLog();
        k.slots.addAll(slots.subList(0, n));
        return k;
    }
}
