"""The demo Vision Transformer: a convolutional stem, pre-norm encoder blocks and a CLS head.

Shapes for the default 64x64 input: stem -> [B, 96, 8, 8] -> tokens [B, 64, 96]; the CLS token
joins at block `cls_from_block` -> [B, 65, 96]; head reads the CLS row -> [B, C]. The shipped
model (train.py's defaults) lets CLS join at the last block and keeps the earlier blocks' attention
local; README.md explains why.

Written so that torch.onnx.export at opset 17 gives plain ops the Java engine can cut:
LayerNormalization nodes, one fused qkv MatMul+Add per block, and residual Adds of the form
Add(x, f(LN(x))).
"""
import math

import torch
from torch import nn


class ConvStem(nn.Module):
    """Three 3x3 stride-2 convolutions (8x downsampling) then a 1x1 projection to the model dim.

    Overlapping 3x3 kernels instead of one 8x8 patchify give each token a receptive field a bit
    larger than its cell (15 px), which helps small shapes that straddle cell borders.
    """

    def __init__(self, dim, widths=(24, 48, 96)):
        super().__init__()
        layers, cin = [], 3
        for w in widths:
            layers += [nn.Conv2d(cin, w, 3, stride=2, padding=1, bias=False),
                       nn.BatchNorm2d(w), nn.GELU()]
            cin = w
        layers.append(nn.Conv2d(cin, dim, 1))
        self.body = nn.Sequential(*layers)

    def forward(self, x):  # [B, 3, H, W] -> [B, dim, H/8, W/8]
        return self.body(x)


class Attention(nn.Module):
    """Standard multi-head self-attention: fused qkv Linear (with bias), scaled dot product."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, bias=None):  # x: [B, T, D]; bias: None or additive [T, T]
        b, t, d = x.shape
        qkv = self.qkv(x).reshape(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # each [B, heads, T, dh]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
        if bias is not None:
            att = att + bias
        out = att.softmax(dim=-1) @ v  # [B, heads, T, dh]
        return self.proj(out.transpose(1, 2).reshape(b, t, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm block: y = x + Attn(LN1(x)); z = y + MLP(LN2(y))."""

    def __init__(self, dim, heads, mlp_hidden, attn_bias=None):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, mlp_hidden)
        self.register_buffer("attn_bias", attn_bias, persistent=False)

    def forward(self, x):
        x = x + self.attn(self.norm1(x), self.attn_bias)
        return x + self.mlp(self.norm2(x))

    def tail(self, f):
        """The block after LN1, fed a (masked) LN1 output f: ViT-ReciproCAM's H starts here.

        The first residual adds f itself, as in the seed paper's equation 4 (see algorithm.md).
        """
        y = f + self.attn(f)
        return y + self.mlp(self.norm2(y))


class SceneViT(nn.Module):
    """`cls_from_block` = 0 is the standard ViT. A later value lets the CLS token join the sequence
    only at that block (as CaiT's class attention does): the blocks before it mix patch tokens only,
    so the CLS token can learn the class solely from the patch tokens it attends to later.
    """

    def __init__(self, num_classes, dim=96, depth=4, heads=4, mlp_hidden=384, grid=8, cls_from_block=0,
                 local_radius=0):
        super().__init__()
        self.grid = grid
        self.cls_from_block = cls_from_block
        self.stem = ConvStem(dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + grid * grid, dim))
        # The last block always attends globally: it is the one ViT-ReciproCAM re-runs.
        self.blocks = nn.ModuleList(
            Block(dim, heads, mlp_hidden,
                  local_bias(grid, local_radius, with_cls=k >= cls_from_block)
                  if local_radius > 0 and k < depth - 1 else None)
            for k in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        self.apply(_init_weights)

    def last_block_input(self, images):
        """[B, 3, H, W] -> the tokens entering the last block, [B, 1 + h*w, D]."""
        x = self.stem(images).flatten(2).transpose(1, 2) + self.pos_embed[:, 1:]  # [B, h*w, D]
        cls = self.cls_token + self.pos_embed[:, :1]
        for k, blk in enumerate(self.blocks[:-1]):
            if k == self.cls_from_block:
                x = torch.cat([cls.expand(x.shape[0], -1, -1), x], dim=1)
            x = blk(x)
        if self.cls_from_block >= len(self.blocks) - 1:
            x = torch.cat([cls.expand(x.shape[0], -1, -1), x], dim=1)
        return x

    def classify(self, tokens):
        """Final norm and head on the CLS row: [B, T, D] -> [B, C]."""
        return self.head(self.norm(tokens)[:, 0])

    def forward(self, images):
        return self.classify(self.blocks[-1](self.last_block_input(images)))


def local_bias(grid, radius, with_cls):
    """Additive attention bias: a patch token sees only patches within `radius` cells (Chebyshev),
    not the CLS token; the CLS token, when present (first), sees everything.

    Keeping the early blocks local stops background tokens from collecting the class of a distant
    object (acting as registers), so in the last block class evidence sits where the object is.
    """
    ij = torch.stack(torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij"), -1).reshape(-1, 2)
    near = (ij[:, None, :] - ij[None, :, :]).abs().max(dim=-1).values <= radius  # [h*w, h*w]
    allowed = near
    if with_cls:
        t = grid * grid + 1
        allowed = torch.zeros(t, t, dtype=torch.bool)
        allowed[0, :] = True
        allowed[1:, 1:] = near
    return torch.where(allowed, 0.0, -1e9)


def _init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)
