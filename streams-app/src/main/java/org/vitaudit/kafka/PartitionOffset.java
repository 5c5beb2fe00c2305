package org.vitaudit.kafka;

/** A position within a topic given on the command line as {@code P:O}, e.g. {@code 0:42}. */
public record PartitionOffset(int partition, long offset) {
  public PartitionOffset {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "partition and offset must be 0 or more, got " + partition + ":" + offset);
    }
  }

  public static PartitionOffset parse(String option, String text) {
    String[] parts = text.trim().split(":", -1);
    try {
      if (parts.length == 2) {
        return new PartitionOffset(
            Integer.parseInt(parts[0].trim()), Long.parseLong(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        option + " expects PARTITION:OFFSET like 0:42, got '" + text + "'");
  }

  @Override
  public String toString() {
    return partition + ":" + offset;
  }
}
