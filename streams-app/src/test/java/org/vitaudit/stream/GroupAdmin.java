package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.vitaudit.testing.TestBroker;

/**
 * What the broker knows about the application's consumer group: its members and their partitions,
 * its committed offsets, the topics' end offsets. The client survives a broker restart like any
 * other.
 */
final class GroupAdmin implements AutoCloseable {
  private final Admin admin;
  private final String group;

  GroupAdmin(TestBroker broker, String group) {
    this.admin = Admin.create(broker.clientProperties());
    this.group = group;
  }

  /** Waits until the group is stable with this many members (each a process with one thread). */
  void awaitStable(int members, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    String now = "not there yet";
    while (true) {
      try {
        ConsumerGroupDescription d = describe();
        if (d.groupState() == GroupState.STABLE && d.members().size() == members) {
          return;
        }
        now = d.groupState() + " with " + d.members().size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
      }
      assertThat(System.nanoTime())
          .as("group %s stable with %d members (now %s)", group, members, now)
          .isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  /** The input partitions of the member whose client id starts with this prefix. */
  Set<TopicPartition> assignment(String clientIdPrefix, String topic) throws Exception {
    return describe().members().stream()
        .filter(m -> m.clientId().startsWith(clientIdPrefix))
        .flatMap(m -> m.assignment().topicPartitions().stream())
        .filter(tp -> tp.topic().equals(topic))
        .collect(Collectors.toSet());
  }

  /** The group's committed offsets; a partition without one counts as 0. */
  Map<TopicPartition, Long> committed(Collection<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return partitions.stream()
        .collect(Collectors.toMap(tp -> tp, tp -> c.get(tp) == null ? 0L : c.get(tp).offset()));
  }

  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) throws Exception {
    return admin
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private ConsumerGroupDescription describe() throws Exception {
    return admin.describeConsumerGroups(Set.of(group)).describedGroups().get(group).get();
  }

  @Override
  public void close() {
    admin.close();
  }
}
