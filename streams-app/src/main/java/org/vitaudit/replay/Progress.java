package org.vitaudit.replay;

import java.util.function.LongConsumer;

/** Where a long read reports how far it is: one stage at a time, done out of total. */
@FunctionalInterface
public interface Progress {
  Progress NONE = (what, total) -> done -> {};

  /** Starts a stage; the returned consumer is told the count done so far. */
  LongConsumer begin(String what, long total);
}
