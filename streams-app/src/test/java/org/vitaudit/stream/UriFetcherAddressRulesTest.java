package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.HostPatterns;

/** The address and host rules of {@code http(s)://} image URIs, one by one. */
class UriFetcherAddressRulesTest {

  @Test
  void internalAddressesAreRefused() throws Exception {
    for (String a :
        List.of(
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "0.0.0.0",
            "::",
            "169.254.169.254",
            "fe80::1",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.0.1",
            "fc00::1",
            "fd12:3456::1",
            "224.0.0.1",
            "ff02::1",
            "100.64.0.1",
            "255.255.255.255",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::1")) {
      assertThat(AddressRules.refusal(InetAddress.getByName(a))).as(a).isPresent();
    }
  }

  @Test
  void publicAddressesAreNot() throws Exception {
    for (String a :
        List.of(
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "203.0.113.7")) {
      assertThat(AddressRules.refusal(InetAddress.getByName(a))).as(a).isEmpty();
    }
  }

  @Test
  void hostPatternsMatchNamesOrWholeSubdomains() {
    HostPatterns p =
        HostPatterns.parse(List.of("images.example.com", " *.cdn.example.com ", "[::1]"));
    assertThat(p.matches("images.example.com")).isTrue();
    assertThat(p.matches("Images.Example.COM.")).isTrue();
    assertThat(p.matches("a.cdn.example.com")).isTrue();
    assertThat(p.matches("a.b.cdn.example.com")).isTrue();
    assertThat(p.matches("[::1]")).isTrue();
    assertThat(p.matches("cdn.example.com")).isFalse();
    assertThat(p.matches("xcdn.example.com")).isFalse();
    assertThat(p.matches("images.example.com.evil.org")).isFalse();
    assertThat(p.matches("evilimages.example.com")).isFalse();
    assertThat(p.matches(null)).isFalse();
    assertThat(HostPatterns.parse(List.of()).isEmpty()).isTrue();
    assertThat(HostPatterns.parse(List.of("*")).matches("anything.example")).isTrue();
  }

  @Test
  void theSettingRejectsWhatIsNotAHostPattern() {
    assertThat(
            AppConfig.problem(
                AppConfig.URI_HTTP_ALLOWED_HOSTS_CONFIG, "a.example.com,*.b.example.com"))
        .isNull();
    for (String bad :
        List.of("http://a.example.com", "a.example.com/path", "*example.com", "a.*.com")) {
      assertThat(AppConfig.problem(AppConfig.URI_HTTP_ALLOWED_HOSTS_CONFIG, bad))
          .as(bad)
          .isNotNull();
    }
    AppConfig defaults = new AppConfig(Map.of());
    assertThat(defaults.getList(AppConfig.URI_HTTP_ALLOWED_HOSTS_CONFIG)).isEmpty();
    assertThat(defaults.getBoolean(AppConfig.URI_HTTP_ALLOW_PRIVATE_CONFIG)).isFalse();
    assertThat(defaults.getInt(AppConfig.URI_HTTP_MAX_REDIRECTS_CONFIG)).isEqualTo(3);
  }
}
