package org.vitaudit.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's web server (Javalin on Jetty): the JSON API under {@code /api/} that the page
 * uses and nothing else, Server-Sent Events on {@code /api/stream}, and the page itself from the
 * jar ({@code /dashboard/} resources: no CDN, so it works offline and behind a port-forward). It
 * only reads the state; feeding it is the reader's job.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  static final int MAX_LIMIT = 10_000;

  private final DashboardState state;
  private final Optional<EventImages> images;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  // Pushes leave the reader's thread at once; under a burst the oldest pending push is dropped
  // (the page reloads the feed on the next summary anyway), so the queue stays bounded.
  private final ThreadPoolExecutor pushes =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(1000),
          r -> daemon(r, "dashboard-sse"),
          new ThreadPoolExecutor.DiscardOldestPolicy());
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dashboard-summary"));
  private final Javalin app;

  private DashboardServer(DashboardState state, Optional<EventImages> images) {
    this.state = state;
    this.images = images;
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(mapper, false));
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/dashboard";
                    files.location = Location.CLASSPATH;
                  });
              config.routes.get("/api/summary", ctx -> ctx.json(state.summary()));
              config.routes.get("/api/events", this::events);
              config.routes.get("/api/events/{seq}", this::detail);
              config.routes.get("/api/events/{seq}/image.png", this::image);
              config.routes.get("/api/aggregates", ctx -> ctx.json(state.aggregates()));
              config.routes.get("/api/drift", ctx -> ctx.json(state.drift()));
              config.routes.sse("/api/stream", this::subscribe);
              config.routes.exception(
                  IllegalArgumentException.class,
                  (e, ctx) ->
                      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
            });
  }

  /**
   * Starts serving on {@code host:port} (port 0: any free port, see {@link #port()}).
   *
   * @param images draws thumbnails; empty where no input topic can be read (the page shows none)
   */
  public static DashboardServer start(
      DashboardState state, Optional<EventImages> images, String host, int port) {
    DashboardServer s = new DashboardServer(state, images);
    s.app.start(host, port);
    state.onEvent(e -> s.pushes.execute(() -> s.broadcast("event", e)));
    s.ticks.scheduleAtFixedRate(
        () -> s.broadcast("summary", state.summary()), 1, 1, TimeUnit.SECONDS);
    return s;
  }

  public int port() {
    return app.port();
  }

  private void events(Context ctx) {
    int limit = intParam(ctx, "limit", 100);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    ctx.json(
        state.events(
            ctx.queryParam("class"),
            "true".equals(ctx.queryParam("wrong")),
            ctx.queryParam("reason"),
            limit));
  }

  private void detail(Context ctx) {
    Optional<FeedEntry> e = state.entry(seq(ctx));
    if (e.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no such event in the feed"));
      return;
    }
    ctx.json(EventDetail.of(e.get(), mapper));
  }

  private void image(Context ctx) {
    String cls = ctx.queryParam("class");
    Integer classIndex = cls == null || cls.isBlank() ? null : parseInt("class", cls);
    Optional<byte[]> png =
        state.entry(seq(ctx)).flatMap(e -> images.flatMap(i -> i.png(e, classIndex)));
    if (png.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND).result("no image");
      return;
    }
    // An event's picture never changes: the browser may keep it.
    ctx.header("Cache-Control", "max-age=3600").contentType("image/png").result(png.get());
  }

  private void subscribe(SseClient client) {
    client.keepAlive();
    clients.add(client);
    client.onClose(() -> clients.remove(client));
    send(client, "summary", state.summary());
  }

  private void broadcast(String name, Object data) {
    clients.forEach(c -> send(c, name, data));
  }

  private void send(SseClient client, String name, Object data) {
    try {
      client.sendEvent(name, mapper.writeValueAsString(data));
    } catch (JsonProcessingException | RuntimeException e) {
      // A client gone mid-send: forget it; the others still get their events.
      LOG.debug("dropping an SSE client: {}", e.toString());
      clients.remove(client);
    }
  }

  private static long seq(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "seq must be a number, got '" + ctx.pathParam("seq") + "'");
    }
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? fallback : parseInt(name, v);
  }

  private static int parseInt(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    pushes.shutdownNow();
    clients.forEach(SseClient::close);
    app.stop();
  }
}
