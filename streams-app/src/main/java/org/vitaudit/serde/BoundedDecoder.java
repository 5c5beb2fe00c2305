package org.vitaudit.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that refuses any string, bytes or collection length larger than the message
 * itself. Avro allocates the buffer a length field announces before reading it, so ten forged bytes
 * could make every poll allocate a gigabyte (found by AvroSingleObjectSerdeTest), turning one bad
 * record into an out-of-memory crash loop. No well-formed value can be longer than the bytes that
 * carry it (collection items of our schemas take at least one byte each).
 */
final class BoundedDecoder extends Decoder {

  private final BinaryDecoder in;
  private final long limit;

  BoundedDecoder(BinaryDecoder in, long messageLength) {
    this.in = in;
    this.limit = messageLength;
  }

  private int length(long announced) throws IOException {
    if (announced < 0 || announced > limit) {
      throw new IOException("length " + announced + " exceeds the " + limit + "-byte message");
    }
    return (int) announced;
  }

  private long count(long announced) throws IOException {
    if (announced < 0 || announced > limit) {
      throw new IOException("item count " + announced + " exceeds the " + limit + "-byte message");
    }
    return announced;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int len = length(in.readLong());
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(len);
    if (len > 0) {
      in.readFixed(result.getBytes(), 0, len);
    }
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int len = length(in.readLong());
    ByteBuffer result;
    if (old != null && old.hasArray() && len <= old.capacity()) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(len);
    }
    in.readFixed(result.array(), result.arrayOffset() + result.position(), len);
    result.limit(len);
    return result;
  }

  @Override
  public long readArrayStart() throws IOException {
    return count(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return count(in.arrayNext());
  }

  @Override
  public long readMapStart() throws IOException {
    return count(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return count(in.mapNext());
  }

  /** Whether every byte of the message was consumed. */
  boolean atEnd() throws IOException {
    return in.isEnd();
  }

  // Everything below reads fixed-size values or skips without allocating: plain delegation.

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int len) throws IOException {
    in.readFixed(bytes, start, len);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
