package org.vitaudit.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Decides which configuration values must never be printed or logged, by their key alone. */
public final class Secrets {

  /** What a secret value is printed as. */
  public static final String HIDDEN = "[hidden]";

  // Key-based on purpose: values such as JAAS lines or PEM keys have no reliable shape. "key" only
  // as ssl.key.* or a last segment (ssl.keystore.key), so default.key.serde stays visible.
  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "password|passphrase|secret|token|credential|sasl\\.jaas\\.config|user\\.info"
              + "|ssl\\.key\\.|(^|\\.)key$");

  private Secrets() {}

  /** Whether the value of {@code key} is a secret. */
  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  /** The value as it may be shown: itself, or {@link #HIDDEN} when the key names a secret. */
  public static String mask(String key, String value) {
    return isSecret(key) ? HIDDEN : value;
  }
}
