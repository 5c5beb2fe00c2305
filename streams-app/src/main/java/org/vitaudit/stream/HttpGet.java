package org.vitaudit.stream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET to an address already checked: the socket connects to that {@link InetAddress},
 * so no second DNS lookup can send it elsewhere (DNS rebinding), while the {@code Host} header, TLS
 * server name and certificate check use the URI's host. The JDK's {@code HttpClient} resolves names
 * itself and cannot be held to one address, hence this small client. It never follows a redirect
 * (the caller checks each one), reads at most the image size limit, and gives the whole exchange
 * one deadline, so a server that drips bytes cannot hold a stream thread.
 */
final class HttpGet {
  /** Largest status line plus headers read before giving up on a response. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  private static final int MAX_CHUNK_LINE = 1024;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** The answer: its status, its {@code Location} header (or null) and, for a 2xx, its body. */
  record Response(int status, String location, byte[] body) {}

  /** The body was larger than the limit. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("body over the limit");
    }
  }

  private final Duration timeout;
  private final long maxBytes;
  private final SSLSocketFactory tls;
  private final UnaryOperator<InetSocketAddress> route;

  /** A client with the JVM's default trust store. */
  HttpGet(Duration timeout, long maxBytes) {
    this(timeout, maxBytes, (SSLSocketFactory) SSLSocketFactory.getDefault(), a -> a);
  }

  /**
   * @param route where a checked address is dialled: the address itself, but in tests, which stand
   *     a local server in for a public address
   */
  HttpGet(
      Duration timeout,
      long maxBytes,
      SSLSocketFactory tls,
      UnaryOperator<InetSocketAddress> route) {
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.tls = tls;
    this.route = route;
  }

  /** GETs {@code uri} (http or https) from {@code address}. */
  Response get(URI uri, InetAddress address) throws IOException {
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(route.apply(new InetSocketAddress(address, port)), millisLeft(deadline));
      Socket s = https ? tls(socket, uri.getHost(), port) : socket;
      try (s) {
        s.setSoTimeout(millisLeft(deadline));
        OutputStream out = s.getOutputStream();
        out.write(request(uri, port, https).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return response(new Deadline(new BufferedInputStream(s.getInputStream()), s, deadline));
      }
    }
  }

  private Socket tls(Socket plain, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.startsWith("[") && !IPV4.matcher(host).matches()) { // no SNI for an IP literal
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(p);
    ssl.startHandshake();
    return ssl;
  }

  private static String request(URI uri, int port, boolean https) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    boolean defaultPort = port == (https ? 443 : 80);
    return "GET "
        + path
        + query
        + " HTTP/1.1\r\nHost: "
        + uri.getHost()
        + (defaultPort ? "" : ":" + port)
        + "\r\nUser-Agent: vit-audit\r\nAccept: image/*\r\nAccept-Encoding: identity"
        + "\r\nConnection: close\r\n\r\n";
  }

  private Response response(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    int status;
    Map<String, String> headers;
    do { // 1xx answers come before the real one
      status = status(line(in, budget));
      headers = headers(in, budget);
    } while (status / 100 == 1);
    if (status / 100 != 2) {
      return new Response(status, headers.get("location"), null);
    }
    InputStream body;
    String length = headers.get("content-length");
    if (headers
        .getOrDefault("transfer-encoding", "")
        .toLowerCase(Locale.ROOT)
        .contains("chunked")) {
      body = new Chunked(in);
    } else if (length != null) {
      long n = parseLength(length);
      if (n > maxBytes) {
        throw new TooLarge();
      }
      byte[] bytes = in.readNBytes((int) n);
      if (bytes.length < n) {
        throw new EOFException("the body ended after " + bytes.length + " of " + n + " bytes");
      }
      return new Response(status, null, bytes);
    } else {
      body = in;
    }
    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw new TooLarge();
    }
    return new Response(status, null, bytes);
  }

  private static int status(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP/1.x response: " + abbreviate(line));
    }
    return Integer.parseInt(parts[1]);
  }

  private static Map<String, String> headers(InputStream in, int[] budget) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String line = line(in, budget); !line.isEmpty(); line = line(in, budget)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private static long parseLength(String value) throws IOException {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length " + abbreviate(value), e);
    }
  }

  /** One CRLF- (or LF-) terminated line, charged to the head's byte budget. */
  private static String line(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the response ended in its head");
      }
      if (--budget[0] < 0) {
        throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
      }
      buf.write(c);
    }
    String s = buf.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static int millisLeft(long deadline) throws SocketTimeoutException {
    long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (left <= 0) {
      throw new SocketTimeoutException("timed out");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** Before each read, the socket's timeout becomes what is left of the exchange's deadline. */
  private static final class Deadline extends FilterInputStream {
    private final Socket socket;
    private final long deadline;

    Deadline(InputStream in, Socket socket, long deadline) {
      super(in);
      this.socket = socket;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return super.read(b, off, len);
    }
  }

  /** A chunked body (RFC 9112 7.1); trailers are not read, the connection closes after it. */
  private static final class Chunked extends InputStream {
    private final InputStream in;
    private final int[] budget = {0};
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        budget[0] = MAX_CHUNK_LINE;
        String size = line(in, budget);
        int semi = size.indexOf(';');
        try {
          left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size " + abbreviate(size), e);
        }
        if (left < 0) {
          throw new IOException("bad chunk size " + abbreviate(size));
        }
        if (left == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the body ended inside a chunk");
      }
      left -= n;
      if (left == 0) {
        int cr = in.read();
        if (cr != '\r' || in.read() != '\n') {
          throw new IOException("no CRLF after a chunk");
        }
      }
      return n;
    }
  }
}
