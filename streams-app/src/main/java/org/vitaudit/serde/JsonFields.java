package org.vitaudit.serde;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** How reports write numbers into JSON: rounded for people, null where there is no value. */
public final class JsonFields {
  private JsonFields() {}

  /** Rounded to {@code digits} decimals; 0 for NaN (JSON has no NaN). */
  public static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return 0;
    }
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }

  /** Puts the value rounded to two decimals, or null where there is none. */
  public static void put(ObjectNode o, String key, Optional<Double> value) {
    if (value.isPresent()) {
      o.put(key, round(value.get(), 2));
    } else {
      o.putNull(key);
    }
  }
}
