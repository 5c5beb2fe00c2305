package org.vitaudit.model.graph;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Reading and writing the numbers inside ONNX {@link TensorProto}s (raw little-endian or typed
 * fields).
 */
public final class Tensors {
  private Tensors() {}

  public static long[] dims(TensorProto t) {
    return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  public static long elementCount(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      n *= d;
    }
    return n;
  }

  /** Values of a float, double, int32, int64 or bool tensor as floats (false 0, true 1). */
  public static float[] floats(TensorProto t) {
    int n = Math.toIntExact(elementCount(t));
    ByteBuffer raw = raw(t);
    float[] out = new float[n];
    switch (TensorProto.DataType.forNumber(t.getDataType())) {
      case FLOAT -> {
        if (raw != null) {
          raw.asFloatBuffer().get(out);
        } else {
          for (int i = 0; i < n; i++) out[i] = t.getFloatData(i);
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++)
          out[i] = (float) (raw != null ? raw.getDouble(8 * i) : t.getDoubleData(i));
      }
      case INT64, INT32 -> {
        long[] longs = longs(t);
        for (int i = 0; i < n; i++) out[i] = longs[i];
      }
      case BOOL -> {
        // One byte per value in raw data, else one int32 field per value.
        for (int i = 0; i < n; i++)
          out[i] = (raw != null ? raw.get(i) : t.getInt32Data(i)) != 0 ? 1f : 0f;
      }
      default ->
          throw new IllegalArgumentException(
              "tensor "
                  + t.getName()
                  + " has data type "
                  + t.getDataType()
                  + ", expected a number type");
    }
    return out;
  }

  /** Values of an int64, int32 or float tensor as longs (shapes, axes, indices). */
  public static long[] longs(TensorProto t) {
    int n = Math.toIntExact(elementCount(t));
    ByteBuffer raw = raw(t);
    long[] out = new long[n];
    switch (TensorProto.DataType.forNumber(t.getDataType())) {
      case INT64 -> {
        for (int i = 0; i < n; i++) out[i] = raw != null ? raw.getLong(8 * i) : t.getInt64Data(i);
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) out[i] = raw != null ? raw.getInt(4 * i) : t.getInt32Data(i);
      }
      case FLOAT -> {
        float[] f = floats(t);
        for (int i = 0; i < n; i++) out[i] = (long) f[i];
      }
      default ->
          throw new IllegalArgumentException(
              "tensor "
                  + t.getName()
                  + " has data type "
                  + t.getDataType()
                  + ", expected an integer type");
    }
    return out;
  }

  private static ByteBuffer raw(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(
          "tensor "
              + t.getName()
              + " keeps its data in an external file; models over 2 GB are not supported");
    }
    if (!t.hasRawData()) {
      return null;
    }
    return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public static TensorProto floatTensor(String name, float[] values, long... dims) {
    long expected = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    if (expected != values.length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": " + values.length + " values for dims " + Arrays.toString(dims));
    }
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(buf.array()))
        .build();
  }

  public static TensorProto longTensor(String name, long[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(buf.array()))
        .build();
  }
}
