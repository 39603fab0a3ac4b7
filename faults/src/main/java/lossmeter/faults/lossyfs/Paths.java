package lossmeter.faults.lossyfs;

import java.nio.file.Path;

/** FUSE paths ("/", "/a", "/a/b") and their place in the backing directory. */
final class Paths {
    private Paths() {
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** True when {@code path} is {@code dir} itself or lies below it. */
    static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.equals("/") ? "/" : dir + "/");
    }

    static Path resolve(Path root, String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }
}
