"""ViT-ReciproCAM on the PyTorch model, to estimate localisation before the Java engine exists.

Semantics as in shared/docs/algorithm.md (the project's defaults): F = LN1 output of the last
block; copy n keeps the CLS token and scales the patch tokens by a 3x3 Gaussian centred on cell
n (other patch tokens 0, no renormalisation at borders); H(x~) = last block from the first
residual on, with x~ as that residual's input; final norm; head on CLS; softmax; per class
min-max over the N = h*w copies (all zeros where max == min).

Computed the fast exact way (CLS row only, see _cls_scores); check_reciprocam.py compares it with
the literal definition.
"""
import math

import torch

GAUSS = torch.tensor([[1 / 16, 1 / 8, 1 / 16], [1 / 8, 1 / 4, 1 / 8], [1 / 16, 1 / 8, 1 / 16]])


def gaussian_masks(h, w):
    """[N = h*w, h*w] mask weights: row n is the Gaussian kernel centred on cell n, row-major."""
    masks = torch.zeros(h * w, h, w)
    for i in range(h):
        for j in range(w):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    a, b = i + di, j + dj
                    if 0 <= a < h and 0 <= b < w:
                        masks[i * w + j, a, b] = GAUSS[di + 1, dj + 1]
    return masks.reshape(h * w, h * w)


@torch.no_grad()
def saliency(model, images):
    """[B, 3, H, W] -> (logits [B, C] of the unmodified model, maps [B, C, h, w] in [0, 1])."""
    model.eval()
    g = model.grid
    last = model.blocks[-1]
    x = model.last_block_input(images)  # [B, T, D]
    logits = model.classify(last(x))
    f = last.norm1(x)  # F: [B, T, D]
    b, t, d = f.shape
    masks = gaussian_masks(g, g).to(f)  # [N, h*w]
    n = masks.shape[0]
    weights = torch.cat([torch.ones(n, t - g * g).to(f), masks], dim=1)  # prefix (CLS) kept: [N, T]
    scores = _cls_scores(model, f, weights).softmax(dim=-1)  # [B, N, C]
    lo = scores.min(dim=1, keepdim=True).values
    span = scores.max(dim=1, keepdim=True).values - lo
    maps = torch.where(span > 0, (scores - lo) / span.clamp_min(1e-30), torch.zeros_like(scores))
    return logits, maps.transpose(1, 2).reshape(b, -1, g, g)  # [B, C, h, w]


def argmax_cell_hits(cam, box, image_size):
    """Pointing game for one map [h, w]: does the arg-max cell's pixel rectangle meet the box?"""
    h, w = cam.shape
    k = int(torch.argmax(cam.reshape(-1)))
    i, j = divmod(k, w)
    cell_h, cell_w = image_size / h, image_size / w
    # Cell (i, j) covers pixels [j*cw, (j+1)*cw) x [i*ch, (i+1)*ch); boxes are inclusive.
    cx0, cx1 = j * cell_w, (j + 1) * cell_w - 1
    cy0, cy1 = i * cell_h, (i + 1) * cell_h - 1
    x0, y0, x1, y1 = box
    return cx0 <= x1 and x0 <= cx1 and cy0 <= y1 and y0 <= cy1


def cells_hit_share(box, grid, image_size):
    """Random-cell baseline: the share of grid cells whose rectangle meets the box."""
    cell = image_size / grid
    x0, y0, x1, y1 = box
    cols = int(x1 // cell) - int(x0 // cell) + 1
    rows = int(y1 // cell) - int(y0 // cell) + 1
    return rows * cols / (grid * grid)


def _cls_scores(model, f, weights):
    """Logits of H on every masked copy, computed for the CLS row only (exactly).

    Only the CLS row of the last block reaches the head, and a masked token's q, k and v are
    affine in its mask weight (w * (F Wqkv) + b), so the projection runs once per image and is
    rescaled per copy; attention, output projection, LN2, MLP and final norm run on the CLS row.
    f: [B, T, D] (CLS first), weights: [N, T] -> [B, N, C].
    """
    attn = model.blocks[-1].attn
    blk = model.blocks[-1]
    b, t, d = f.shape
    n = weights.shape[0]
    proj = f @ attn.qkv.weight.T  # [B, T, 3D], without bias
    qkv = weights.view(1, n, t, 1) * proj.unsqueeze(1) + attn.qkv.bias  # [B, N, T, 3D]
    qkv = qkv.view(b, n, t, 3, attn.heads, attn.head_dim)
    q = qkv[:, :, 0, 0]  # CLS query: [B, N, heads, dh]
    k, v = qkv[:, :, :, 1], qkv[:, :, :, 2]  # [B, N, T, heads, dh]
    att = torch.einsum("bnhd,bnthd->bnht", q, k) / math.sqrt(attn.head_dim)
    out = torch.einsum("bnht,bnthd->bnhd", att.softmax(dim=-1), v).reshape(b, n, d)
    cls = f[:, :1] * weights[:, :1].view(1, n, 1) + attn.proj(out)  # y = x~ + Attn(x~), CLS row
    cls = cls + blk.mlp(blk.norm2(cls))
    return model.head(model.norm(cls))
