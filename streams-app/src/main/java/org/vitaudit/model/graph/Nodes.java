package org.vitaudit.model.graph;

import java.util.List;
import org.vitaudit.model.proto.Onnx.AttributeProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.TensorShapeProto;
import org.vitaudit.model.proto.Onnx.TypeProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/** Small factories for the nodes, attributes and value infos this project writes into graphs. */
public final class Nodes {
  private Nodes() {}

  public static NodeProto node(
      String op,
      String name,
      List<String> inputs,
      List<String> outputs,
      AttributeProto... attributes) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(name)
        .addAllInput(inputs)
        .addAllOutput(outputs)
        .addAllAttribute(List.of(attributes))
        .build();
  }

  /** A node with one output named after the node itself. */
  public static NodeProto node(String op, String name, String... inputs) {
    return node(op, name, List.of(inputs), List.of(name));
  }

  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  public static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  public static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  /**
   * A typed value info; each dimension is a {@code Long} size or a {@code String} symbol, and
   * {@code dims == null} leaves the shape unknown.
   */
  public static ValueInfoProto value(String name, TensorProto.DataType type, Object... dims) {
    TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
    if (dims != null) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (Object d : dims) {
        TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
        if (d instanceof Number n) {
          dim.setDimValue(n.longValue());
        } else {
          dim.setDimParam(String.valueOf(d));
        }
        shape.addDim(dim);
      }
      tensor.setShape(shape);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  public static ValueInfoProto floatValueOfUnknownShape(String name) {
    return value(name, TensorProto.DataType.FLOAT, (Object[]) null);
  }
}
