package lossmeter.faults.lossyfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Synced bytes in a file of the backing directory. The channel follows the file across renames
 * (an open descriptor names the inode, not the path), so a durable rename needs no reopen.
 */
final class BackingContent implements Content {
    private final FileChannel channel;

    BackingContent(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(long offset, byte[] dst, int dstOffset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, dstOffset, len);
        int total = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, offset + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(src, srcOffset, len);
        long pos = offset;
        while (buf.hasRemaining()) pos += channel.write(buf, pos);
    }

    @Override
    public void setSize(long size) throws IOException {
        long current = channel.size();
        if (size < current) {
            channel.truncate(size);
        } else if (size > current) {
            // FileChannel.truncate never grows a file; one zero byte at the new end does, sparsely.
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    @Override
    public void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
