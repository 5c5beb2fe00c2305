package org.vitaudit.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The earlier versions of a record's schema, shipped in the schemas jar under {@code
 * schema-history/<Record>.v<N>.avsc}, so records written before a schema change still read.
 */
final class SchemaHistory {
  private SchemaHistory() {}

  /** Every earlier schema of the record named {@code simpleName}, oldest first (none for most). */
  static List<Schema> of(String simpleName) {
    List<Schema> older = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "/schema-history/" + simpleName + ".v" + version + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
        if (in == null) {
          return older;
        }
        older.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
  }
}
