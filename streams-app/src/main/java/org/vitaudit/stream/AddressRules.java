package org.vitaudit.stream;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses an image URI may not reach unless {@code uri.http.allow.private}: what an
 * attacker who can write events would aim at inside the network. IPv4 addresses carried inside IPv6
 * ones (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged as the IPv4
 * address they carry.
 */
final class AddressRules {
  private AddressRules() {}

  /** Why the address is refused ({@code "loopback"}, ...), or empty when it may be reached. */
  static Optional<String> refusal(InetAddress a) {
    if (a.isAnyLocalAddress()) {
      return Optional.of("unspecified");
    }
    if (a.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (a.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (a.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    if (a.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    return a instanceof Inet4Address v4 ? ipv4(v4.getAddress()) : ipv6(a.getAddress());
  }

  private static Optional<String> ipv4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0) {
      return Optional.of("unspecified (0.0.0.0/8)");
    }
    if (first == 100 && (second & 0xc0) == 64) {
      return Optional.of("private (100.64.0.0/10, shared address space)");
    }
    if (first == 198 && (second & 0xfe) == 18) {
      return Optional.of("private (198.18.0.0/15)");
    }
    if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
      return Optional.of("private (192.0.0.0/24)");
    }
    if (first >= 240) {
      return Optional.of("reserved or broadcast (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    if ((b[0] & 0xfe) == 0xfc) {
      return Optional.of("private (fc00::/7)");
    }
    byte[] v4 = embeddedIpv4(b);
    if (v4 != null) {
      try {
        InetAddress inner = InetAddress.getByAddress(v4);
        return refusal(inner).map(r -> r + " (" + inner.getHostAddress() + " inside IPv6)");
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // four bytes are always an address
      }
    }
    return Optional.empty();
  }

  /** The IPv4 address an IPv6 address carries by a standard embedding, or null. */
  private static byte[] embeddedIpv4(byte[] b) {
    if (zero(b, 0, 12)) {
      return slice(b, 12); // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
    }
    if (b[0] == 0x00
        && b[1] == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) {
      return slice(b, 12); // NAT64 64:ff9b::/96
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return new byte[] {b[2], b[3], b[4], b[5]}; // 6to4 2002:aabb:ccdd::/48
    }
    return null;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }
}
