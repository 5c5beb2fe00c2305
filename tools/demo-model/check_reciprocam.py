"""Self-check: the fast batched ViT-ReciproCAM in reciprocam.py equals the definition.

The definition (algorithm.md) is run literally, one image and one masked copy at a time through
the whole last block, in float64 on randomly perturbed models of every configuration train.py
offers; the fast path (CLS row only, q/k/v rescaled per copy) must agree to 1e-9.

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 tools/demo-model/check_reciprocam.py
"""
import torch

import reciprocam
from model import SceneViT


def literal_maps(model, image):
    """[1, 3, H, W] -> [C, h, w] by the letter of the definition."""
    g = model.grid
    last = model.blocks[-1]
    f = last.norm1(model.last_block_input(image))[0]  # [T, D]
    masks = reciprocam.gaussian_masks(g, g).to(f)
    scores = []
    for k in range(g * g):
        w = torch.cat([torch.ones(1).to(f), masks[k]])  # CLS kept, patches Gaussian-weighted
        xk = (f * w[:, None]).unsqueeze(0)
        y = xk + last.attn(xk)
        z = y + last.mlp(last.norm2(y))
        scores.append(model.head(model.norm(z)[0, 0]).softmax(-1))
    y = torch.stack(scores)  # [N, C]
    s = (y - y.min(0).values) / (y.max(0).values - y.min(0).values)
    return s.T.reshape(-1, g, g)


def main():
    torch.manual_seed(0)
    for cls_from_block, local_radius in ((0, 0), (3, 0), (0, 1), (3, 1)):
        model = SceneViT(8, cls_from_block=cls_from_block, local_radius=local_radius).double().eval()
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.05 * torch.randn_like(p))  # away from the near-symmetric initialisation
            images = torch.randn(3, 3, 64, 64).double()
            logits, maps = reciprocam.saliency(model, images)
            assert torch.allclose(logits, model(images), atol=1e-9)
            for i in range(len(images)):
                err = (maps[i] - literal_maps(model, images[i:i + 1])).abs().max().item()
                assert err < 1e-9, f"config {cls_from_block, local_radius}: max error {err}"
        print(f"cls_from_block={cls_from_block} local_radius={local_radius}: fast maps == literal maps")
    corner = reciprocam.gaussian_masks(8, 8)[0].sum().item()
    assert abs(corner - 9 / 16) < 1e-6, corner  # no renormalisation at the border
    check_pointing()


def check_pointing():
    cam = torch.zeros(8, 8)
    cam[2, 3] = 1.0  # row 2, column 3: pixels x 24..31, y 16..23 of a 64x64 image
    assert reciprocam.argmax_cell_hits(cam, (24, 16, 30, 20), 64)
    assert reciprocam.argmax_cell_hits(cam, (31, 23, 40, 40), 64)  # shares one corner pixel
    assert not reciprocam.argmax_cell_hits(cam, (32, 16, 40, 20), 64)
    assert not reciprocam.argmax_cell_hits(cam, (24, 24, 31, 30), 64)
    assert reciprocam.cells_hit_share((0, 0, 7, 7), 8, 64) == 1 / 64
    assert reciprocam.cells_hit_share((0, 0, 8, 8), 8, 64) == 4 / 64
    print("pointing game and random baseline: ok")


if __name__ == "__main__":
    main()
