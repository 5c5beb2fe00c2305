package org.vitaudit.cli;

import static org.vitaudit.config.AppConfig.DEVICE_CONFIG;
import static org.vitaudit.config.AppConfig.ENGINE_H_MODE_CONFIG;
import static org.vitaudit.config.AppConfig.MODEL_PATH_CONFIG;
import static org.vitaudit.config.AppConfig.ONNX_INTRA_OP_THREADS_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_CHANNELS_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_CROP_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_MEAN_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_RESIZE_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_SIZE_CONFIG;
import static org.vitaudit.config.AppConfig.PREPROCESS_STD_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_BLOCK_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_CUT_NODE_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_MAX_H_BATCH_CONFIG;
import static org.vitaudit.config.AppConfig.SALIENCY_RESIDUAL_CONFIG;

import org.vitaudit.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The flags of every command that opens a model: which model, how to feed it, where to cut it and
 * where to run it. Each stands for a configuration key; its help text is that key's documentation
 * ({@link ConfigHelp}).
 */
public final class ModelOptions implements FlagSource {
  @Option(names = "--model", paramLabel = "M.onnx", descriptionKey = MODEL_PATH_CONFIG)
  String model;

  @Option(names = "--size", paramLabel = "HxW", descriptionKey = PREPROCESS_SIZE_CONFIG)
  String size;

  @Option(names = "--resize", paramLabel = "N|none", descriptionKey = PREPROCESS_RESIZE_CONFIG)
  String resize;

  @Option(names = "--crop", paramLabel = "HxW|none", descriptionKey = PREPROCESS_CROP_CONFIG)
  String crop;

  @Option(
      names = "--channels",
      paramLabel = "CHANNELS",
      descriptionKey = PREPROCESS_CHANNELS_CONFIG)
  String channels;

  @Option(names = "--mean", paramLabel = "a[,b,c]", descriptionKey = PREPROCESS_MEAN_CONFIG)
  String mean;

  @Option(names = "--std", paramLabel = "a[,b,c]", descriptionKey = PREPROCESS_STD_CONFIG)
  String std;

  @Option(names = "--cut-node", paramLabel = "NAME", descriptionKey = SALIENCY_CUT_NODE_CONFIG)
  String cutNode;

  @Option(names = "--block", paramLabel = "N", descriptionKey = SALIENCY_BLOCK_CONFIG)
  String block;

  @Option(names = "--residual", paramLabel = "READING", descriptionKey = SALIENCY_RESIDUAL_CONFIG)
  String residual;

  @Option(names = "--device", paramLabel = "DEVICE", descriptionKey = DEVICE_CONFIG)
  String device;

  @Option(names = "--max-h-batch", paramLabel = "N", descriptionKey = SALIENCY_MAX_H_BATCH_CONFIG)
  String maxHBatch;

  @Option(names = "--h-mode", paramLabel = "MODE", descriptionKey = ENGINE_H_MODE_CONFIG)
  String hMode;

  @Option(names = "--threads", paramLabel = "N", descriptionKey = ONNX_INTRA_OP_THREADS_CONFIG)
  String threads;

  @Override
  public ConfigLoader addTo(ConfigLoader loader) {
    return loader
        .flag(MODEL_PATH_CONFIG, model, "--model")
        .flag(PREPROCESS_SIZE_CONFIG, size, "--size")
        .flag(PREPROCESS_RESIZE_CONFIG, resize, "--resize")
        .flag(PREPROCESS_CROP_CONFIG, crop, "--crop")
        .flag(PREPROCESS_CHANNELS_CONFIG, channels, "--channels")
        .flag(PREPROCESS_MEAN_CONFIG, mean, "--mean")
        .flag(PREPROCESS_STD_CONFIG, std, "--std")
        .flag(SALIENCY_CUT_NODE_CONFIG, cutNode, "--cut-node")
        .flag(SALIENCY_BLOCK_CONFIG, block, "--block")
        .flag(SALIENCY_RESIDUAL_CONFIG, residual, "--residual")
        .flag(DEVICE_CONFIG, device, "--device")
        .flag(SALIENCY_MAX_H_BATCH_CONFIG, maxHBatch, "--max-h-batch")
        .flag(ENGINE_H_MODE_CONFIG, hMode, "--h-mode")
        .flag(ONNX_INTRA_OP_THREADS_CONFIG, threads, "--threads");
  }
}
