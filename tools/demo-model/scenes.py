"""Scenes for training and evaluation, made by the project's own Java generator.

The images come from `java -jar streams-app.jar scenes --format raw`, never from a Python copy
of the generator, so the model is always trained on exactly what the Java side produces.
"""
import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class SceneSet:
    images: np.ndarray  # [N, S, S, 3] uint8, RGB
    labels: np.ndarray  # [N, K] int64 class indices, K = objects per scene
    boxes: np.ndarray  # [N, K, 4] int64 inclusive x0, y0, x1, y1
    classes: list  # class names in label-index order (from classes.txt)


def load(jar, cache_dir, seed, count, two_objects=False, size=64):
    """Generates (once) and loads scenes 0..count-1 of `seed`; reuses a complete earlier run."""
    name = f"seed{seed}_n{count}_s{size}" + ("_two" if two_objects else "")
    out = Path(cache_dir) / name
    raw = out / "images.u8"
    if not (raw.exists() and raw.stat().st_size == count * size * size * 3):
        cmd = ["java", "-jar", str(jar), "scenes", "--count", str(count), "--seed", str(seed),
               "--out", str(out), "--size", str(size), "--format", "raw"]
        if two_objects:
            cmd.append("--two-objects")
        subprocess.run(cmd, check=True)
    classes = (out / "classes.txt").read_text().split()
    index = {c: i for i, c in enumerate(classes)}
    with open(out / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    k = 2 if two_objects else 1
    labels = np.zeros((count, k), np.int64)
    boxes = np.zeros((count, k, 4), np.int64)
    for n, row in enumerate(rows):
        for j in range(k):
            suffix = "" if j == 0 else f"_{j + 1}"
            labels[n, j] = index[row["label" if j == 0 else f"label{j + 1}"]]
            boxes[n, j] = [int(row[c + suffix]) for c in ("x0", "y0", "x1", "y1")]
    images = np.fromfile(raw, np.uint8).reshape(count, size, size, 3)
    return SceneSet(images, labels, boxes, classes)
