package lossmeter.harness.run;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON conventions of results files: one mapper, and the value types histories use (Long, String, List, Map). */
public final class Json {
    /** Pretty-printed, for the files people read. */
    public static final ObjectMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** One line per value, for JSONL. */
    public static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    /**
     * Brings a parsed JSON value back to history types: every integral number becomes a Long
     * (Jackson reads small ones as Integer), lists and maps recursively.
     */
    public static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger b -> b.longValue();
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) out.add(normalize(o));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), normalize(e.getValue()));
                yield out;
            }
            default -> v;
        };
    }
}
