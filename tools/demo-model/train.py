"""Trains the demo ViT on scenes from the project's generator and exports it to ONNX.

See README.md beside this file for the exact command, seeds, duration and results.
"""
import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import evaluate
import scenes
from model import SceneViT

REPO = Path(__file__).resolve().parents[2]
TRAIN_SINGLE_SEED = 1
TRAIN_TWO_SEED = 2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--jar", default=REPO / "streams-app/target/streams-app.jar")
    p.add_argument("--data-dir", default="/tmp/vit-audit-scenes", help="scene cache (regenerable)")
    p.add_argument("--out", default=REPO / "streams-app/src/main/resources/demo-model")
    p.add_argument("--checkpoint", default="/tmp/vit-audit-scenes/model.pt")
    p.add_argument("--train-single", type=int, default=60000)
    p.add_argument("--train-two", type=int, default=30000)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--warmup-steps", type=int, default=500)
    p.add_argument("--seed", type=int, default=7, help="torch seed: init, shuffling, augmentation")
    p.add_argument("--max-minutes", type=float, default=None,
                   help="stop early (for quick experiments; the schedule still assumes --epochs)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 because two OpenMP threads crawl on a shared 2-core machine")
    p.add_argument("--cls-from-block", type=int, default=3,
                   help="block where the CLS token joins (0: standard ViT; 3: only the last block)")
    p.add_argument("--local-radius", type=int, default=1,
                   help="if > 0, blocks before the last attend within this many grid cells only")
    p.add_argument("--no-export", action="store_true")
    return p.parse_args()


def channel_stats(images, chunk=5000):
    """Per-channel mean and std of pixel/255, rounded for model.json; chunked to spare memory."""
    total = np.zeros(3)
    squares = np.zeros(3)
    for start in range(0, len(images), chunk):
        x = images[start:start + chunk].reshape(-1, 3).astype(np.float64) / 255.0
        total += x.sum(axis=0)
        squares += (x * x).sum(axis=0)
    n = images.shape[0] * images.shape[1] * images.shape[2]
    mean = total / n
    std = np.sqrt(squares / n - mean * mean)
    return [round(float(v), 4) for v in mean], [round(float(v), 4) for v in std]


def soft_targets(labels, num_classes):
    """[N, K] class indices -> [N, C] targets sharing the mass equally among the K objects."""
    t = np.zeros((len(labels), num_classes), np.float32)
    for j in range(labels.shape[1]):
        t[np.arange(len(labels)), labels[:, j]] += 1.0 / labels.shape[1]
    return t


def dihedral(x, gen):
    """Random flips and transposes per image: the 8 symmetries of the square.

    Every class is closed under them (a flipped arrow is an arrow), so they are free extra data.
    """
    b = x.shape[0]
    flip_h = torch.rand(b, generator=gen) < 0.5
    flip_v = torch.rand(b, generator=gen) < 0.5
    transpose = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip_h.view(b, 1, 1, 1), x.flip(3), x)
    x = torch.where(flip_v.view(b, 1, 1, 1), x.flip(2), x)
    return torch.where(transpose.view(b, 1, 1, 1), x.transpose(2, 3), x)


def param_groups(model, weight_decay):
    """No decay on norms, biases, the CLS token and position embeddings (standard for ViTs)."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 or name in ("cls_token", "pos_embed") else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def export_onnx(model, out_dir, classes, mean, std, size):
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval()
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, dummy, str(out_dir / "model.onnx"), opset_version=17,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)
    meta = {
        "name": "demo-scenes-vit",
        "preprocessing": {"size": [size, size], "resize": None, "crop": None, "channels": "rgb",
                          "mean": mean, "std": std},
        "labels": classes,
    }
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n")


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    t_start = time.time()

    single = scenes.load(args.jar, args.data_dir, TRAIN_SINGLE_SEED, args.train_single)
    two = scenes.load(args.jar, args.data_dir, TRAIN_TWO_SEED, args.train_two, two_objects=True)
    held_single, held_two = evaluate.held_out_sets(args.jar, args.data_dir)
    classes = single.classes
    size = single.images.shape[1]
    images = np.concatenate([single.images, two.images])  # [N, S, S, 3] uint8, kept compact
    targets = torch.from_numpy(np.concatenate(
        [soft_targets(single.labels, len(classes)), soft_targets(two.labels, len(classes))]))
    mean, std = channel_stats(images)
    print(f"data ready in {time.time() - t_start:.0f}s: {len(images)} scenes, mean {mean}, std {std}",
          flush=True)

    config = {"num_classes": len(classes), "cls_from_block": args.cls_from_block,
              "local_radius": args.local_radius}
    model = SceneViT(**config)
    opt = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr)
    steps_per_epoch = len(images) // args.batch
    total = steps_per_epoch * args.epochs

    def lr_at(step):  # linear warm-up, then cosine to zero
        if step < args.warmup_steps:
            return args.lr * (step + 1) / args.warmup_steps
        return 0.5 * args.lr * (1 + math.cos(math.pi * (step - args.warmup_steps) / (total - args.warmup_steps)))

    step, t_train, stop = 0, time.time(), False
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(images), generator=gen)
        run_loss = 0.0
        for k in range(steps_per_epoch):
            idx = order[k * args.batch:(k + 1) * args.batch]
            x = dihedral(evaluate.to_tensor(images[idx.numpy()], mean, std), gen)
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(x)
            loss = -(targets[idx] * F.log_softmax(logits.float(), dim=1)).sum(dim=1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            run_loss += loss.item()
            step += 1
            if step % 200 == 0:
                rate = step * args.batch / (time.time() - t_train)
                print(f"epoch {epoch} step {step}/{total} loss {run_loss / (k + 1):.4f} {rate:.0f} img/s",
                      flush=True)
            if args.max_minutes and time.time() - t_train > 60 * args.max_minutes:
                stop = True
                break
        model.eval()
        with torch.no_grad():
            x = evaluate.to_tensor(held_single.images[:500], mean, std)
            acc = (model(x).argmax(1).numpy() == held_single.labels[:500, 0]).mean()
        print(f"epoch {epoch} done at {(time.time() - t_train) / 60:.1f} min, held-out acc (500) {acc:.4f}",
              flush=True)
        if stop:
            break

    train_minutes = (time.time() - t_train) / 60
    Path(args.checkpoint).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": model.state_dict(), "config": config, "classes": classes, "mean": mean, "std": std},
               args.checkpoint)
    metrics = evaluate.evaluate(model.eval(), held_single, held_two, mean, std)
    metrics["train_minutes"] = round(train_minutes, 1)
    metrics["total_minutes"] = round((time.time() - t_start) / 60, 1)
    print(json.dumps(metrics, indent=2), flush=True)
    if not args.no_export:
        export_onnx(model, Path(args.out), classes, mean, std, size)
        print(f"exported to {args.out}", flush=True)


if __name__ == "__main__":
    main()
