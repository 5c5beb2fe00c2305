"""Held-out accuracy and ViT-ReciproCAM pointing game of a trained demo model.

Run on its own to re-measure a saved checkpoint:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 \
      tools/demo-model/evaluate.py --checkpoint /tmp/vit-audit-scenes/model.pt
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

import reciprocam
import scenes
from model import SceneViT

HELD_OUT_SINGLE_SEED = 1001
HELD_OUT_TWO_SEED = 1002


def to_tensor(images, mean, std):
    """uint8 [N, H, W, 3] -> normalised float [N, 3, H, W], as model.json tells the Java side."""
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0
    return (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)


def _saliency_batches(model, images, mean, std, batch=25):
    for start in range(0, len(images), batch):
        x = to_tensor(images[start:start + batch], mean, std)
        logits, maps = reciprocam.saliency(model, x)
        yield start, logits, maps


def evaluate(model, single, two, mean, std):
    """Accuracy and pointing game on single-object scenes; per-class pointing on two-object ones."""
    size = single.images.shape[1]
    correct = hits = 0
    baseline = 0.0
    for start, logits, maps in _saliency_batches(model, single.images, mean, std):
        pred = logits.argmax(dim=1)
        for b in range(len(pred)):
            n = start + b
            correct += int(pred[b] == single.labels[n, 0])
            box = single.boxes[n, 0]
            hits += int(reciprocam.argmax_cell_hits(maps[b, pred[b]], box, size))
            baseline += reciprocam.cells_hit_share(box, model.grid, size)
    n_single = len(single.images)
    two_hits = two_top2 = 0
    two_baseline = 0.0
    for start, logits, maps in _saliency_batches(model, two.images, mean, std):
        top2 = logits.topk(2, dim=1).indices
        for b in range(len(logits)):
            n = start + b
            present = set(int(c) for c in two.labels[n])
            two_top2 += int(set(int(c) for c in top2[b]) == present)
            for j in range(2):
                c, box = int(two.labels[n, j]), two.boxes[n, j]
                two_hits += int(reciprocam.argmax_cell_hits(maps[b, c], box, size))
                two_baseline += reciprocam.cells_hit_share(box, model.grid, size)
    n_two = 2 * len(two.images)
    return {
        "accuracy": correct / n_single,
        "pointing_single": hits / n_single,
        "pointing_single_random_baseline": baseline / n_single,
        "pointing_two_per_class": two_hits / n_two,
        "pointing_two_random_baseline": two_baseline / n_two,
        "two_object_top2_exact": two_top2 / len(two.images),
    }


def held_out_sets(jar, cache_dir, count=1000):
    single = scenes.load(jar, cache_dir, HELD_OUT_SINGLE_SEED, count)
    two = scenes.load(jar, cache_dir, HELD_OUT_TWO_SEED, count, two_objects=True)
    return single, two


def main():
    repo = Path(__file__).resolve().parents[2]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--jar", default=repo / "streams-app/target/streams-app.jar")
    p.add_argument("--data-dir", default="/tmp/vit-audit-scenes")
    p.add_argument("--count", type=int, default=1000)
    args = p.parse_args()
    torch.set_num_threads(1)
    ckpt = torch.load(args.checkpoint)
    model = SceneViT(**ckpt["config"])
    model.load_state_dict(ckpt["state_dict"])
    single, two = held_out_sets(args.jar, args.data_dir, args.count)
    print(json.dumps(evaluate(model.eval(), single, two, ckpt["mean"], ckpt["std"]), indent=2))


if __name__ == "__main__":
    main()
