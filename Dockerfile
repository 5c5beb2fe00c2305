# vit-audit, CPU image: the Maven build in one stage, a JRE 17 runtime in the next.
#
#   docker build -t vit-audit:0.1.0 .
#   docker build -t vit-audit:0.1.0 --build-arg MODEL_DIR=models/my-vit .   # bake a model in
#
# The image runs `run --config /etc/vit-audit/app.properties` as uid 10001 and writes only to
# /var/lib/vit-audit (Kafka Streams state) and /tmp (native libraries ONNX Runtime and RocksDB
# unpack at start-up), so it runs with a read-only root filesystem when those two are mounted
# writable (tmpfs/emptyDir; /tmp must allow exec, the libraries are mapped from there).
# GPU variant: Dockerfile.gpu. Deployment notes: README.md, "Run it on a laptop" / "on Kubernetes".

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY streams-app streams-app
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder of Docker 23+).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true package \
 && cp streams-app/target/streams-app.jar /streams-app.jar

FROM eclipse-temurin:17.0.16_8-jre-noble

# A folder of the build context copied to /opt/vit-audit/models (an ONNX model and its model.json
# or <stem>.json); point model.path at it. The default folder holds only a README: with model.path
# empty the application serves the demo model inside the jar.
ARG MODEL_DIR=deploy/docker/models

# Numeric uid/gid so Kubernetes can verify runAsNonRoot without looking the name up.
RUN groupadd --system --gid 10001 vitaudit \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin vitaudit \
 && mkdir -p /app /etc/vit-audit /opt/vit-audit/models /var/lib/vit-audit/state /data \
 && chown -R 10001:10001 /var/lib/vit-audit /data

COPY --from=build /streams-app.jar /app/streams-app.jar
COPY deploy/docker/healthcheck.sh /app/healthcheck.sh
COPY deploy/docker/app.properties /etc/vit-audit/app.properties
COPY ${MODEL_DIR}/ /opt/vit-audit/models/

USER 10001:10001
WORKDIR /data
# /var/lib/vit-audit: Kafka Streams state (kafka.state.dir in app.properties).
# /data: a writable folder for commands that write files (scenes, explain --out, demo).
VOLUME ["/var/lib/vit-audit", "/data"]
EXPOSE 8080

# Docker's own check; Kubernetes uses the probes in deploy/base/deployment.yaml instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD ["/app/healthcheck.sh", "/health/ready"]

# ONNX Runtime and RocksDB allocate outside the Java heap: leave them half of the container.
# Extra JVM flags: JDK_JAVA_OPTIONS. Any other command: docker run IMAGE scenes --count 10 --out /data
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/streams-app.jar"]
CMD ["run", "--config", "/etc/vit-audit/app.properties"]
