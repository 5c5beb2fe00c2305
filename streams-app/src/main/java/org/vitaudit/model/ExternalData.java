package org.vitaudit.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.StringStringEntryProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * The files that hold a model's weights outside its {@code .onnx} protobuf (ONNX "external data":
 * torch's dynamo exporter writes {@code <name>.onnx.data} by default, and a model over 2 GB has no
 * other way). Locations are relative to the model's folder, so that folder travels with every graph
 * the engine derives from the model: the derived graphs keep referring to the same files instead of
 * copying the weights inline.
 *
 * @param folder the model's folder, where the locations resolve (empty for a model with no file)
 * @param files the distinct locations, in the order the initializers first name them
 */
public record ExternalData(Optional<Path> folder, List<String> files) {
  private static final byte[] LOCATION_KEY = "location".getBytes(StandardCharsets.US_ASCII);

  public static ExternalData none() {
    return new ExternalData(Optional.empty(), List.of());
  }

  public boolean present() {
    return !files.isEmpty();
  }

  /**
   * The external data files of the model in {@code onnx}, checked to exist inside {@code folder}.
   * Throws {@link ModelNotSupportedException} with what to do when one is missing or points
   * outside.
   */
  public static ExternalData of(byte[] onnx, Path folder, String source) {
    if (!mayReferToFiles(onnx)) {
      return new ExternalData(Optional.of(folder), List.of());
    }
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      return new ExternalData(
          Optional.of(folder), List.of()); // the engine reports what is wrong with it
    }
    return of(model, folder, source);
  }

  public static ExternalData of(ModelProto model, Path folder, String source) {
    Set<String> locations = new LinkedHashSet<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      if (isExternal(t)) {
        locations.add(
            entry(t, "location")
                .orElseThrow(
                    () ->
                        new ModelNotSupportedException(
                            source
                                + ": initializer '"
                                + t.getName()
                                + "' is marked as external data but names no file")));
      }
    }
    Path base = folder.toAbsolutePath().normalize();
    for (String location : locations) {
      Path file = base.resolve(location).normalize();
      if (Path.of(location).isAbsolute() || !file.startsWith(base)) {
        throw new ModelNotSupportedException(
            source
                + " keeps weights in '"
                + location
                + "', outside the model's folder; external data must sit beside the model (re-save"
                + " it with a relative location)");
      }
      if (!Files.isRegularFile(file)) {
        throw new ModelNotSupportedException(
            source
                + " keeps its weights in '"
                + location
                + "', which is missing from "
                + base
                + "; copy that file next to the model");
      }
    }
    return new ExternalData(Optional.of(base), List.copyOf(locations));
  }

  public static boolean isExternal(TensorProto t) {
    return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
  }

  /** The files' absolute paths. */
  public List<Path> paths() {
    List<Path> out = new ArrayList<>();
    for (String f : files) {
      out.add(folder.orElseThrow().resolve(f));
    }
    return out;
  }

  /** Adds the bytes of every file to a digest, so a model's identity covers its weights. */
  public void digest(MessageDigest digest) {
    byte[] buffer = new byte[1 << 20];
    for (Path p : paths()) {
      try (InputStream in = Files.newInputStream(p)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the model's external data " + p + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * A copy of an external tensor with its bytes read into {@code raw_data}: for the few small
   * constants (scales, shapes) the graph analysis reads. Weights stay in their file.
   */
  public TensorProto inline(TensorProto t) {
    if (!isExternal(t)) {
      return t;
    }
    String location = entry(t, "location").orElseThrow();
    long offset = entry(t, "offset").map(Long::parseLong).orElse(0L);
    Path file =
        folder
            .orElseThrow(
                () ->
                    new ModelNotSupportedException(
                        "tensor '"
                            + t.getName()
                            + "' keeps its data in '"
                            + location
                            + "', but the model was not read from a folder"))
            .resolve(location);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = entry(t, "length").map(Long::parseLong).orElse(ch.size() - offset);
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(length));
      while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
        // read until full
      }
      buf.flip();
      return t.toBuilder()
          .clearExternalData()
          .clearDataLocation()
          .setRawData(ByteString.copyFrom(buf))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read tensor '" + t.getName() + "' from " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> entry(TensorProto t, String key) {
    return t.getExternalDataList().stream()
        .filter(e -> e.getKey().equals(key))
        .map(StringStringEntryProto::getValue)
        .findFirst();
  }

  /**
   * Every external tensor names its file under the key "location": no such bytes, no external data.
   */
  private static boolean mayReferToFiles(byte[] onnx) {
    outer:
    for (int i = 0; i + LOCATION_KEY.length <= onnx.length; i++) {
      for (int j = 0; j < LOCATION_KEY.length; j++) {
        if (onnx[i + j] != LOCATION_KEY[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
