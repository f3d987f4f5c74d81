"""What a researcher would run instead of gradlens for live statistics: PyTorch (with
OpenBLAS), the study's protocol (MingLiiii/Layer_Gradient get_gradient_values.py):
batch of one, mean cross-entropy over the response tokens, gradients of the q/k/v/o
matrices only (requires_grad on those, as the study sets it), and per matrix the
mean/max/min entry, Frobenius norm and the float64 singular values (sum, max, min,
effective rank). The model is Hugging Face's LlamaForCausalLM written out in torch
(transformers is not installed here): RMSNorm, rotate_half rotary positions,
repeat_kv grouped-query attention, SiLU-gated MLP, tied or untied head.

Two modes, both printing one JSON line on stdout:

  shapes: seconds per sample for random models (after one warm-up sample), wall
    and CPU (all of torch's threads)
    python3 scripts/bench/compute_torch.py shapes L,D,HEADS,KV,FF,VOCAB,T ...
  command: the whole job, as a user runs it: load a gradlens model folder
    (config.json + model.safetensors, read with numpy), read samples (JSONL of
    {"instruction", "input", "output", "input_ids", "response_start"}), write one
    statistics line per sample to OUT
    python3 scripts/bench/compute_torch.py command MODEL_DIR SAMPLES.jsonl OUT.jsonl

Run with OPENBLAS_NUM_THREADS=1: torch's own intra-op threads already use the cores.
"""
import json
import math
import sys
import time

import numpy as np
import torch

STAT_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_tables(t, hd, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
    freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def forward_loss(cfg, p, ids, response_start):
    """Mean cross-entropy of the response tokens (HF's shifted labels, -100 before response_start)."""
    t = ids.shape[0]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or cfg["hidden_size"] // heads
    eps = cfg.get("rms_norm_eps", 1e-6)
    cos, sin = rope_tables(t, hd, cfg.get("rope_theta", 10000.0))
    mask = torch.full((t, t), float("-inf")).triu(1)
    x = p["model.embed_tokens.weight"][ids]  # [T, d]
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}"
        h = rms_norm(x, p[f"{pre}.input_layernorm.weight"], eps)
        q = (h @ p[f"{pre}.self_attn.q_proj.weight"].T).view(t, heads, hd).transpose(0, 1)
        k = (h @ p[f"{pre}.self_attn.k_proj.weight"].T).view(t, kv, hd).transpose(0, 1)
        v = (h @ p[f"{pre}.self_attn.v_proj.weight"].T).view(t, kv, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv, dim=0)
        v = v.repeat_interleave(heads // kv, dim=0)
        probs = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd) + mask, dim=-1)
        out = (probs @ v).transpose(0, 1).reshape(t, heads * hd)
        x = x + out @ p[f"{pre}.self_attn.o_proj.weight"].T
        h2 = rms_norm(x, p[f"{pre}.post_attention_layernorm.weight"], eps)
        gate = h2 @ p[f"{pre}.mlp.gate_proj.weight"].T
        up = h2 @ p[f"{pre}.mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ p[f"{pre}.mlp.down_proj.weight"].T
    hf = rms_norm(x, p["model.norm.weight"], eps)
    head = p["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else p["lm_head.weight"]
    logits = hf @ head.T
    labels = ids.clone()
    labels[:response_start] = -100
    return torch.nn.functional.cross_entropy(logits[:-1], labels[1:], ignore_index=-100)


def selected(p):
    """The study's selection: 2-D and square, or named self_attn."""
    return [n for n, w in p.items() if w.dim() > 1 and (w.shape[0] == w.shape[1] or "self_attn" in n)]


def matrix_stats(g):
    g64 = g.double()
    s = torch.linalg.svdvals(g64)
    total = float(s.sum())
    probs = s / total if total > 0 else s
    nz = probs[probs > 0]
    return {
        "M_mean": float(g.mean()),
        "M_max": float(g.max()),
        "M_min": float(g.min()),
        "frobenius_norm": float(torch.linalg.norm(g64)),
        "S_sum": total,
        "S_max": float(s[0]),
        "S_min": float(s[-1]),
        "effective_rank": float(torch.exp(-(nz * nz.log()).sum())),
    }


def sample_stats(cfg, p, names, ids, response_start):
    for n in names:
        p[n].grad = None
    loss = forward_loss(cfg, p, ids, response_start)
    loss.backward()
    return float(loss), {n: matrix_stats(p[n].grad) for n in names}


def random_params(layers, d, heads, kv, ff, vocab):
    hd = d // heads
    gen = torch.Generator().manual_seed(1)
    p = {"model.embed_tokens.weight": torch.randn(vocab, d, generator=gen) * 0.02}
    for i in range(layers):
        pre = f"model.layers.{i}"
        shapes = {
            "self_attn.q_proj": (heads * hd, d), "self_attn.k_proj": (kv * hd, d), "self_attn.v_proj": (kv * hd, d),
            "self_attn.o_proj": (d, heads * hd), "mlp.gate_proj": (ff, d), "mlp.up_proj": (ff, d), "mlp.down_proj": (d, ff),
        }
        p[f"{pre}.input_layernorm.weight"] = torch.ones(d)
        p[f"{pre}.post_attention_layernorm.weight"] = torch.ones(d)
        for m, shape in shapes.items():
            p[f"{pre}.{m}.weight"] = torch.randn(*shape, generator=gen) * 0.02
    p["model.norm.weight"] = torch.ones(d)
    cfg = {"num_hidden_layers": layers, "hidden_size": d, "num_attention_heads": heads, "num_key_value_heads": kv, "tie_word_embeddings": True}
    return cfg, p


def bench_shapes(specs):
    out = []
    for spec in specs:
        layers, d, heads, kv, ff, vocab, t = (int(x) for x in spec.split(","))
        cfg, p = random_params(layers, d, heads, kv, ff, vocab)
        names = selected(p)
        for n in names:
            p[n].requires_grad_(True)
        ids = torch.tensor([(i * 37) % 256 for i in range(t)])
        sample_stats(cfg, p, names, ids, t // 4)  # warm-up
        times, cpu = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            sample_stats(cfg, p, names, ids, t // 4)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out.append({"spec": spec, "seconds": times, "cpu_seconds": cpu})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "shapes": out}))


def read_safetensors(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    p = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: {name}: only F32 is read here")
        a, b = info["data_offsets"]
        p[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").reshape(info["shape"]).copy())
    return p


def run_command(model_dir, samples_path, out_path):
    t0 = time.perf_counter()
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    p = read_safetensors(f"{model_dir}/model.safetensors")
    names = selected(p)
    for n in names:
        p[n].requires_grad_(True)
    with open(samples_path) as f, open(out_path, "w") as out:
        for line in f:
            s = json.loads(line)
            ids = torch.tensor(s["input_ids"])
            loss, stats = sample_stats(cfg, p, names, ids, s["response_start"])
            rec = {"instruction": s["instruction"], "input": s.get("input", ""), "output": s["output"], "loss": loss, **stats}
            out.write(json.dumps(rec) + "\n")
    print(json.dumps({"seconds_in_process": time.perf_counter() - t0}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "shapes":
        bench_shapes(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "command":
        run_command(*sys.argv[2:])
    else:
        raise SystemExit(__doc__)
