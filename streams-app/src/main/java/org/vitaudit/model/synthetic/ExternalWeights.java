package org.vitaudit.model.synthetic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.vitaudit.model.proto.Onnx.StringStringEntryProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Writes weights into one external data file beside a model, as torch's dynamo exporter does: a
 * protobuf cannot exceed 2 GB, so a ViT-Huge built in memory keeps its weights here and its graph
 * refers to them by location, offset and length.
 */
final class ExternalWeights implements AutoCloseable {
  private final FileChannel channel;
  private final String location;
  private long offset;

  /**
   * @param file the data file; its name is the location the graph records, relative to its folder
   */
  ExternalWeights(Path file) {
    try {
      this.channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    this.location = file.getFileName().toString();
  }

  /** Appends {@code data} and marks {@code tensor} as stored there. */
  TensorProto.Builder store(TensorProto.Builder tensor, ByteBuffer data) {
    long length = data.remaining();
    try {
      while (data.hasRemaining()) {
        channel.write(data);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the weights of " + tensor.getName() + ": " + e.getMessage(), e);
    }
    tensor
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", location))
        .addExternalData(entry("offset", String.valueOf(offset)))
        .addExternalData(entry("length", String.valueOf(length)));
    offset += length;
    return tensor;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
