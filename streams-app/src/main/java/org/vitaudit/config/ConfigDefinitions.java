package org.vitaudit.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;
import static org.vitaudit.config.AppConfig.*;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.LambdaValidator;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.vitaudit.engine.CutOptions;
import org.vitaudit.engine.Device;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.ScoreMode;
import org.vitaudit.model.PreprocessingOverrides;
import org.vitaudit.model.graph.ResidualSource;

/**
 * The definition of every key of {@link AppConfig}: name, type, default, validator and
 * documentation, the one place each is written ({@code config --list}, docs/configuration.md and
 * the flags' help are read from it). In three groups, in the order {@code config --list} prints.
 */
final class ConfigDefinitions {
  private ConfigDefinitions() {}

  static ConfigDef all() {
    return runtime(method(topics(new ConfigDef())));
  }

  /** The application, the brokers and the topics. */
  private static ConfigDef topics(ConfigDef def) {
    return def.define(
            APPLICATION_ID_CONFIG,
            STRING,
            "vit-audit",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Kafka Streams application id: the consumer group, the prefix of internal topics and"
                + " of transactional ids. Instances with the same id share the partitions.")
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            STRING,
            "localhost:9092",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Kafka brokers to connect to, host:port[,host:port...].")
        .define(
            INPUT_TOPIC_CONFIG,
            STRING,
            "images",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Topic of image events.")
        .define(
            INPUT_FORMAT_CONFIG,
            STRING,
            InputFormat.RAW.cliName(),
            ChoiceValidator.of(InputFormat.class),
            HIGH,
            "raw: the value is an image file's bytes (optional headers event-id, content-type,"
                + " label, source). avro: the value is an ImageEvent in Avro single-object"
                + " encoding.")
        .define(
            AUDIT_TOPIC_CONFIG,
            STRING,
            "audit.saliency",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Topic the audit records (prediction plus saliency maps) are written to.")
        .define(
            AUDIT_FORMAT_CONFIG,
            STRING,
            AuditFormat.AVRO.cliName(),
            ChoiceValidator.of(AuditFormat.class),
            MEDIUM,
            "avro: Avro single-object encoding with the schema fingerprint, readable by any Avro"
                + " library. json: the same field names as JSON, for dashboards.")
        .define(
            DLQ_TOPIC_CONFIG,
            STRING,
            "audit.dlq",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Dead-letter topic: every input the application cannot process, with its original"
                + " key, value and headers plus error headers. Also passed to Kafka Streams as"
                + " errors.dead.letter.queue.topic.name.")
        .define(
            LABELS_TOPIC_CONFIG,
            STRING,
            "labels",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            "Topic of late ground-truth labels (key = event id, value = class index or name).")
        .define(
            MISPREDICTIONS_TOPIC_CONFIG,
            STRING,
            "audit.mispredictions",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            "Topic of wrong predictions joined with their ground truth.")
        .define(
            LABEL_JOIN_RETENTION_MS_CONFIG,
            LONG,
            24 * 60 * 60 * 1000L,
            Range.atLeast(1),
            MEDIUM,
            "How long an audit record waits for its label, or a label for its audit record,"
                + " before the join gives up (state store retention).")
        .define(
            LABEL_JOIN_ENABLED_CONFIG,
            BOOLEAN,
            true,
            MEDIUM,
            "Join audits with labels that arrive later on labels.topic. Each audit without a"
                + " label then waits in a state store with every class's map (classes x grid"
                + " cells bytes) for label.join.retention.ms; turn it off where labels only come"
                + " with the images.");
  }

  /** The model, its preprocessing, the method and where it runs. */
  private static ConfigDef method(ConfigDef def) {
    return def.define(
            MODEL_PATH_CONFIG,
            STRING,
            "",
            MEDIUM,
            "ONNX model file to audit; empty uses the bundled demo model. Its preprocessing,"
                + " labels and any saliency.* keys come from <stem>.json or model.json beside"
                + " it.")
        .define(
            MODEL_LABELS_FILE_CONFIG,
            STRING,
            "",
            LOW,
            "Class names, one per line, instead of the model.json's labels; empty keeps those.")
        .define(
            PREPROCESS_SIZE_CONFIG,
            STRING,
            "",
            preprocessing("size"),
            LOW,
            "Model input size HxW (or N for NxN) instead of model.json's; empty keeps"
                + " model.json's.")
        .define(
            PREPROCESS_RESIZE_CONFIG,
            STRING,
            "",
            preprocessing("resize"),
            LOW,
            "Resize the shorter side to N (bilinear) before the crop, or none; empty keeps"
                + " model.json's.")
        .define(
            PREPROCESS_CROP_CONFIG,
            STRING,
            "",
            preprocessing("crop"),
            LOW,
            "Centre crop HxW, or none; empty keeps model.json's.")
        .define(
            PREPROCESS_CHANNELS_CONFIG,
            STRING,
            "",
            preprocessing("channels"),
            LOW,
            "Input channels, rgb or gray; empty keeps model.json's.")
        .define(
            PREPROCESS_MEAN_CONFIG,
            STRING,
            "",
            preprocessing("mean"),
            LOW,
            "Mean subtracted from pixel/255, one value or one per channel (a,b,c); empty keeps"
                + " model.json's.")
        .define(
            PREPROCESS_STD_CONFIG,
            STRING,
            "",
            preprocessing("std"),
            LOW,
            "Standard deviation dividing (pixel/255 - mean), one value or one per channel; empty"
                + " keeps model.json's.")
        .define(
            SALIENCY_VARIANT_CONFIG,
            STRING,
            MaskSpec.DEFAULT.kernel().cliName(),
            ChoiceValidator.of(MaskKernel.class),
            MEDIUM,
            "ViT-ReciproCAM mask: gaussian spreads each token's mask over its neighbours,"
                + " dirac keeps one token.")
        .define(
            SALIENCY_KEEP_PREFIX_CONFIG,
            BOOLEAN,
            MaskSpec.DEFAULT.keepPrefix(),
            MEDIUM,
            "Keep the CLS (and other prefix) tokens unmasked in the masked feature maps.")
        .define(
            SALIENCY_SCORE_CONFIG,
            STRING,
            ExplainRequest.DEFAULT.score().cliName(),
            ChoiceValidator.of(ScoreMode.class),
            MEDIUM,
            "Which output the saliency score reads: softmax probabilities or raw logits.")
        .define(
            SALIENCY_TOP_K_CONFIG,
            INT,
            ExplainRequest.DEFAULT.topK(),
            Range.between(1, 1000),
            MEDIUM,
            "Number of top predictions reported, and explained with a map each.")
        .define(
            SALIENCY_RESIDUAL_CONFIG,
            STRING,
            CutOptions.DEFAULT.residual().cliName(),
            ChoiceValidator.of(ResidualSource.class),
            LOW,
            "What the cut block's first residual adds to the attention of each masked copy: the"
                + " masked features (the paper's equation 4), the block input masked the same way"
                + " (OpenVINO XAI), or the unmasked block input (the authors' code).")
        .define(
            SALIENCY_BLOCK_CONFIG,
            INT,
            CutOptions.DEFAULT.blockFromEnd(),
            Range.between(1, 1000),
            LOW,
            "Which pre-norm encoder block to cut at, counted from the end: 1 is the last (the"
                + " paper's choice), 2 the one before it (the authors' code). A model.json's"
                + " cut_node is used only with block 1.")
        .define(
            SALIENCY_CUT_NODE_CONFIG,
            STRING,
            "",
            LOW,
            "Name of the cut block's first LayerNorm node, instead of searching for it (or using"
                + " model.json's cut_node); goes with saliency.block 1. Empty: search.")
        .define(
            SALIENCY_MAX_H_BATCH_CONFIG,
            INT,
            64,
            Range.between(1, 4096),
            LOW,
            "Most masked feature maps sent to the model head in one run; bounds memory per run.")
        .define(
            ENGINE_H_MODE_CONFIG,
            STRING,
            HMode.AUTO.cliName(),
            ChoiceValidator.of(HMode.class),
            LOW,
            "How the masked runs are executed: fast (specialised graph), generic, or auto (fast"
                + " when the model allows it).")
        .define(
            DEVICE_CONFIG,
            STRING,
            Device.CPU.toString(),
            deviceValidator(),
            MEDIUM,
            "Where the model runs: cpu, cuda (GPU 0), cuda:N, or auto (CUDA when it loads, else"
                + " CPU).")
        .define(
            ONNX_INTRA_OP_THREADS_CONFIG,
            INT,
            0,
            Range.between(0, 1024),
            LOW,
            "Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime choose. Keep it"
                + " modest when several stream threads share one session.")
        .define(
            ONNX_INTRA_OP_SPINNING_CONFIG,
            BOOLEAN,
            false,
            LOW,
            "Whether ONNX Runtime's intra-op threads busy-wait for work between operators (its own"
                + " default) instead of sleeping. Spinning saves a wake-up per operator on cores"
                + " nothing else needs, and takes the cores the Kafka clients, the stream thread"
                + " and the other sessions need where they share them: off, the stream's rate on"
                + " two cores rose to the engine's (docs/performance.md).");
  }

  /** Limits, threads, batching, HTTP and the Kafka clients' sizing. */
  private static ConfigDef runtime(ConfigDef def) {
    return def.define(
            IMAGE_MAX_BYTES_CONFIG,
            INT,
            20 * 1024 * 1024,
            Range.between(1, 512 * 1024 * 1024),
            MEDIUM,
            "Largest encoded image accepted (bytes); larger ones go to the DLQ. The input"
                + " and DLQ topics' max.message.bytes must allow it; the app sizes its producer's"
                + " max.request.size from it.")
        .define(
            IMAGE_MAX_PIXELS_CONFIG,
            LONG,
            40_000_000L,
            Range.atLeast(1),
            MEDIUM,
            "Largest decoded image accepted (width x height), checked from the header before"
                + " decoding, so a small file cannot claim a huge bitmap.")
        .define(
            URI_FETCH_TIMEOUT_MS_CONFIG,
            INT,
            10_000,
            Range.between(1, 600_000),
            LOW,
            "Timeout for one request fetching an ImageEvent's http(s):// image (connect, TLS and"
                + " the whole response); each redirect gets its own.")
        .define(
            URI_FILE_ALLOWED_DIRS_CONFIG,
            LIST,
            "",
            MEDIUM,
            "Folders an ImageEvent's file:// URI may point into (comma-separated). The file's real"
                + " path (symbolic links resolved) must lie inside one. Empty refuses every file://"
                + " URI, so a producer cannot make the application read its files.")
        .define(
            URI_HTTP_ALLOWED_HOSTS_CONFIG,
            LIST,
            "",
            hostPatterns(),
            MEDIUM,
            "Hosts an ImageEvent's http(s):// URI may name (comma-separated): images.example.com,"
                + " *.cdn.example.com (any host under it) or * (any). Empty, the default, refuses"
                + " every http(s):// URI. Even a named host is refused when it resolves to a"
                + " loopback, link-local, private, unspecified or multicast address (see"
                + " uri.http.allow.private); the application connects to the address it checked,"
                + " and checks every redirect the same way.")
        .define(
            URI_HTTP_ALLOW_PRIVATE_CONFIG,
            BOOLEAN,
            false,
            LOW,
            "Let the hosts of uri.http.allowed.hosts resolve to loopback, link-local (cloud"
                + " metadata at 169.254.169.254), private (RFC 1918, fc00::/7), unspecified and"
                + " multicast addresses. Only for image servers inside your own network.")
        .define(
            URI_HTTP_MAX_REDIRECTS_CONFIG,
            INT,
            3,
            Range.between(0, 20),
            LOW,
            "Most redirects followed when fetching an ImageEvent's http(s):// image; one more is"
                + " refused (uri_not_allowed). Each redirect is checked like the first URI.")
        .define(
            NUM_STREAM_THREADS_CONFIG,
            INT,
            1,
            Range.between(1, 256),
            MEDIUM,
            "Kafka Streams threads in this instance; they share one ONNX Runtime session.")
        .define(
            BATCH_MAX_RECORDS_CONFIG,
            INT,
            1,
            Range.between(1, 1024),
            MEDIUM,
            "Images inferred together in one micro-batch; 1 disables batching.")
        .define(
            BATCH_MAX_WAIT_MS_CONFIG,
            LONG,
            50L,
            Range.between(0, 60_000),
            MEDIUM,
            "Longest time a partial micro-batch waits for more records (wall clock). The time the"
                + " stream spends working (decoding and storing the batch's events, forwarding an"
                + " earlier batch) does not count, so a backlog fills whole batches however slow"
                + " decoding is.")
        .define(
            BATCH_OVERLAP_CONFIG,
            BOOLEAN,
            true,
            MEDIUM,
            "With batching: audit each batch on a worker thread while the stream thread goes on"
                + " reading, decoding and buffering the next one and committing, so Kafka's work"
                + " overlaps the model's (one worker per stream thread, shared by its partitions,"
                + " so at most num.stream.threads model runs at once, as without the overlap; one"
                + " batch runs per worker and up to two wait). Outcomes are still forwarded"
                + " from the stream thread, and a batch's events leave their changelogged store"
                + " only with its outputs, so exactly-once holds. false audits each batch on the"
                + " stream thread.")
        .define(
            HTTP_PORT_CONFIG,
            INT,
            8080,
            Range.between(0, 65535),
            MEDIUM,
            "Port of /health/live, /health/ready and /metrics; 0 picks a free port.")
        .define(
            HTTP_BIND_ADDRESS_CONFIG,
            STRING,
            "0.0.0.0",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            "Address the health and metrics endpoints listen on: 0.0.0.0 (every interface, so"
                + " container probes and scrapers reach them), 127.0.0.1 to serve this host only,"
                + " or one interface's address.")
        .define(
            SHUTDOWN_TIMEOUT_MS_CONFIG,
            LONG,
            30_000L,
            Range.between(0, 3_600_000),
            MEDIUM,
            "On SIGTERM, how long to wait for in-flight records to finish and commit.")
        .define(
            QUALITY_SAMPLE_RATE_CONFIG,
            DOUBLE,
            0.0,
            Range.between(0.0, 1.0),
            LOW,
            "Fraction of events, in [0,1], whose saliency maps also get quality metrics (costs"
                + " extra model runs).")
        .define(
            PROCESSING_GUARANTEE_CONFIG,
            STRING,
            StreamsConfig.EXACTLY_ONCE_V2,
            ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
            HIGH,
            "exactly_once_v2: each input yields its audit or DLQ record exactly once, atomically"
                + " with the offset commit (needs 3 brokers by default, or replication.factor and"
                + " transaction.state.log settings of 1 on a single broker). at_least_once: may"
                + " duplicate after a crash.")
        .define(
            COMMIT_INTERVAL_MS_CONFIG,
            LONG,
            1_000L,
            Range.between(1, 600_000),
            MEDIUM,
            "How often the stream commits. Under exactly_once_v2 a commit ends a Kafka transaction"
                + " (a producer flush, the offsets, the end markers) and read_committed consumers"
                + " see audit records only then, so this bounds the extra latency they see; Kafka"
                + " Streams' own default there is 100 ms, whose commits take a large share of a"
                + " small model's stream (docs/performance.md). Exactly-once holds at any"
                + " interval.")
        .define(
            REPLICATION_FACTOR_CONFIG,
            INT,
            -1,
            Range.between(-1, 32),
            MEDIUM,
            "Replication factor of the internal topics (changelogs, repartition); -1 uses the"
                + " broker's default.replication.factor.")
        .define(
            MAX_POLL_RECORDS_CONFIG,
            INT,
            10,
            Range.between(1, 10_000),
            MEDIUM,
            "Records one poll returns. Kafka Streams' default of 1000 would buffer up to 1000"
                + " images (up to image.max.bytes each) per poll while inference runs at a few to"
                + " a few hundred per second: a small poll bounds memory and the time a record"
                + " waits in the buffer.")
        .define(
            MAX_POLL_INTERVAL_MS_CONFIG,
            INT,
            600_000,
            Range.atLeast(10_000),
            MEDIUM,
            "Longest gap between two polls before the consumer is thrown out of the group. Must"
                + " exceed the slowest micro-batch (batch.max.records x inference time, model"
                + " load included), else the group rebalances in a loop; 10 minutes, twice"
                + " Kafka's default, leaves room for large models on CPU.")
        .define(
            TRANSACTION_TIMEOUT_MS_CONFIG,
            INT,
            60_000,
            Range.between(1_000, 3_600_000),
            MEDIUM,
            "Exactly-once only: how long a transaction may stay open. A transaction spans about"
                + " one micro-batch's inference, and Kafka Streams' 10 s default would abort slow"
                + " batches and fence the producer. Longer values delay read_committed consumers"
                + " after a crash until the dead transaction times out; the broker caps it at"
                + " transaction.max.timeout.ms (15 min by default).");
  }

  /** A preprocessing key: the syntax of the matching flag, or empty for model.json's value. */
  private static LambdaValidator preprocessing(String field) {
    return LambdaValidator.with(
        (name, value) -> {
          try {
            PreprocessingOverrides.checkSyntax(field, value == null ? null : value.toString());
          } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
          }
        },
        () -> "empty, or " + PreprocessingOverrides.syntax(field));
  }

  private static LambdaValidator hostPatterns() {
    return LambdaValidator.with(
        (name, value) -> {
          try {
            HostPatterns.parse(
                value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of());
          } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
          }
        },
        () -> HostPatterns.SYNTAX);
  }

  private static LambdaValidator deviceValidator() {
    return LambdaValidator.with(
        (name, value) -> {
          try {
            Device.parse(String.valueOf(value));
          } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "not a device");
          }
        },
        () -> Device.NAMES.toString());
  }
}
