package org.vitaudit.http;

import java.util.concurrent.ThreadFactory;

/** Threads that serve the endpoints and never keep the JVM alive once the application stops. */
final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads, all with this name (it shows in thread dumps). */
  static ThreadFactory named(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    };
  }
}
