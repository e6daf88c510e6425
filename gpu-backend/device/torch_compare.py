#!/usr/bin/env python3
"""Independent implementation of the same MoE layer, for check.sh.

usage: torch_compare.py compare_input.safetensors OUT_DIR [--dry-run]

Reads the layer weights, the input x and our output y_ours that DeviceCheck wrote (safetensors,
parsed here with json + numpy, no safetensors package needed), recomputes the layer and writes
OUT_DIR/torch.json with:
  - torch per-expert loop (bf16 experts, fp32 router) and torch._grouped_mm (one call per size
    class, bf16) timings, median and min over repeats, measured with CUDA events;
  - max relative difference of each to y_ours (relative to max |y|);
  - measured bf16 dense peak (torch.matmul 8192^3), for the TFLOP/s-vs-peak figure;
  - ours/torch time ratio, reading OUT_DIR/ours.json.
--dry-run: no torch, no GPU; a float64 numpy per-token forward compared with y_ours (the Java CPU
reference), which checks the file format and the layer semantics end to end.

Layer semantics (same as the Java backends): router logits x @ expert_gate (and x @ group_gate);
flat: top-k of the softmax, weights renormalised over the kept experts; grouped: softmax over
groups, top-Kg groups, softmax over each kept group's experts, top-Ke, weight p_group * p_expert
renormalised over all kept slots; SwiGLU down(silu(x gate) * (x up)) or GELU(tanh) down(gelu(x up));
shared experts added with weight 1.
"""
import json
import math
import struct
import sys
import time

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        meta = header.pop("__metadata__", {})
        tensors = {}
        for name, info in header.items():
            begin, end = info["data_offsets"]
            f.seek(base + begin)
            raw = f.read(end - begin)
            if info["dtype"] == "F32":
                arr = np.frombuffer(raw, dtype="<f4")
            elif info["dtype"] == "BF16":
                arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
            else:
                raise ValueError(f"{name}: dtype {info['dtype']} not supported")
            tensors[name] = arr.reshape(info["shape"])
    return meta, tensors


def parse_spec(text):
    """'grouped;swiglu;groups=512x16,1024x16;top=2x2;shared=1x1024' or 'flat;gelu;experts=256,512;top=2;shared=0x0'."""
    parts = text.split(";")
    spec = {"kind": parts[0], "activation": parts[1]}
    for p in parts[2:]:
        key, value = p.split("=")
        spec[key] = value
    if spec["kind"] == "grouped":
        groups = [tuple(int(v) for v in g.split("x")) for g in spec["groups"].split(",")]
        spec["groups"] = groups  # (hidden, experts)
        spec["hidden"] = [h for h, n in groups for _ in range(n)]
        spec["kg"], spec["ke"] = (int(v) for v in spec["top"].split("x"))
    else:
        spec["hidden"] = [int(v) for v in spec["experts"].split(",")]
        spec["k"] = int(spec["top"])
    spec["shared_count"], spec["shared_hidden"] = (int(v) for v in spec["shared"].split("x"))
    return spec


def softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def topk_lower_index(v, k):
    """k largest, best first, lower index first among equals."""
    return sorted(range(len(v)), key=lambda i: (-v[i], i))[:k]


def route_numpy(spec, elog, glog):
    if spec["kind"] == "grouped":
        first, at = [], 0
        for _, n in spec["groups"]:
            first.append(at)
            at += n
        pg = softmax(glog)
        experts, raw = [], []
        for g in topk_lower_index(glog, spec["kg"]):
            n = spec["groups"][g][1]
            pe = softmax(elog[first[g]:first[g] + n])
            for j in topk_lower_index(pe, spec["ke"]):
                experts.append(first[g] + j)
                raw.append(pg[g] * pe[j])
        raw = np.array(raw)
        return experts, raw / raw.sum()
    p = softmax(elog)
    experts = topk_lower_index(elog, spec["k"])
    w = np.array([p[e] for e in experts])
    return experts, w / w.sum()


def ffn_numpy(act, t, prefix, x):
    up = x @ t[prefix + ".up"].astype(np.float64)
    if act == "swiglu":
        g = x @ t[prefix + ".gate"].astype(np.float64)
        h = g / (1 + np.exp(-g)) * up
    else:
        h = 0.5 * up * (1 + np.tanh(math.sqrt(2 / math.pi) * (up + 0.044715 * up ** 3)))
    return h @ t[prefix + ".down"].astype(np.float64)


def dry_run(spec, t, out_dir):
    x = t["x"].astype(np.float64)
    y_ours = t["y_ours"]
    elogits = x @ t["router.expert_gate"].astype(np.float64)
    glogits = x @ t["router.group_gate"].astype(np.float64) if spec["kind"] == "grouped" else None
    y = np.zeros_like(x)
    mismatched = 0
    for i in range(x.shape[0]):
        experts, w = route_numpy(spec, elogits[i], glogits[i] if glogits is not None else None)
        if list(experts) != [int(v) for v in t["routing.experts"][i]]:
            mismatched += 1
        for e, we in zip(experts, w):
            y[i] += we * ffn_numpy(spec["activation"], t, f"experts.{e}", x[i:i + 1])[0]
        for j in range(spec["shared_count"]):
            y[i] += ffn_numpy(spec["activation"], t, f"shared.{j}", x[i:i + 1])[0]
    rel = float(np.abs(y - y_ours).max() / np.abs(y).max())
    result = {"mode": "dry-run (numpy float64 vs the Java CPU reference)", "tokens": int(x.shape[0]),
              "maxRelDiff": rel, "tokensRoutedDifferently": mismatched, "pass": rel < 1e-4 and mismatched == 0}
    write_json(out_dir, result)
    return 0 if result["pass"] else 1


def write_json(out_dir, result):
    with open(f"{out_dir}/torch.json.tmp", "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    import os
    os.replace(f"{out_dir}/torch.json.tmp", f"{out_dir}/torch.json")
    print(json.dumps(result, indent=2))


def gpu_run(spec, t, out_dir):
    import torch
    import torch.nn.functional as F

    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = False
    bf = torch.bfloat16
    x = torch.from_numpy(np.ascontiguousarray(t["x"])).to(dev)
    y_ours = torch.from_numpy(np.ascontiguousarray(t["y_ours"])).to(dev)
    E = len(spec["hidden"])
    swiglu = spec["activation"] == "swiglu"

    def w(name):
        return torch.from_numpy(np.ascontiguousarray(t[name])).to(dev)

    eg = w("router.expert_gate")
    gg = w("router.group_gate") if spec["kind"] == "grouped" else None
    experts = [{k: w(f"experts.{e}.{k}").to(bf) for k in (("gate", "up", "down") if swiglu else ("up", "down"))}
               for e in range(E)]
    shared = [{k: w(f"shared.{j}.{k}").to(bf) for k in (("gate", "up", "down") if swiglu else ("up", "down"))}
              for j in range(spec["shared_count"])]

    def route(xf):
        logits = xf @ eg
        if spec["kind"] != "grouped":
            top, idx = torch.topk(logits, spec["k"], dim=1)
            return idx, torch.softmax(top, dim=1)
        pg = torch.softmax(xf @ gg, dim=1)
        gtop, gidx = torch.topk(pg, spec["kg"], dim=1)
        idx_parts, w_parts, first = [], [], []
        at = 0
        for _, n in spec["groups"]:
            first.append(at)
            at += n
        first_t = torch.tensor(first, device=dev)
        sizes = torch.tensor([n for _, n in spec["groups"]], device=dev)
        for j in range(spec["kg"]):
            g = gidx[:, j]
            mask = torch.arange(E, device=dev)[None, :]
            lo = first_t[g][:, None]
            inside = (mask >= lo) & (mask < lo + sizes[g][:, None])
            masked = logits.masked_fill(~inside, float("-inf"))
            pe = torch.softmax(masked, dim=1)
            etop, eidx = torch.topk(pe, spec["ke"], dim=1)
            idx_parts.append(eidx)
            w_parts.append(etop * gtop[:, j:j + 1])
        idx = torch.cat(idx_parts, dim=1)
        wts = torch.cat(w_parts, dim=1)
        return idx, wts / wts.sum(dim=1, keepdim=True)

    def act(h_gate, h_up):
        return F.silu(h_gate) * h_up if swiglu else F.gelu(h_up, approximate="tanh")

    def ffn(p, xb):
        h = act(xb @ p["gate"], xb @ p["up"]) if swiglu else act(None, xb @ p["up"])
        return h @ p["down"]

    def forward_loop(xf):
        idx, wts = route(xf)
        xb = xf.to(bf)
        y = torch.zeros_like(xf)
        flat_e = idx.reshape(-1)
        flat_t = torch.arange(xf.shape[0], device=dev).repeat_interleave(idx.shape[1])
        flat_w = wts.reshape(-1)
        order = torch.argsort(flat_e, stable=True)
        counts = torch.bincount(flat_e, minlength=E).tolist()
        at = 0
        for e in range(E):
            n = counts[e]
            if n:
                sel = order[at:at + n]
                tok = flat_t[sel]
                y.index_add_(0, tok, (ffn(experts[e], xb[tok]).float() * flat_w[sel, None]))
            at += n
        for p in shared:
            y += ffn(p, xb).float()
        return y

    # torch._grouped_mm: one call per size class (all experts of a class share K and N).
    classes = {}
    for e, h in enumerate(spec["hidden"]):
        classes.setdefault(h, []).append(e)
    stacked = {}
    for h, ids in classes.items():
        # _grouped_mm wants mat_b [G, K, N]; cuBLAS-style kernels want it K-contiguous (column-major),
        # so keep the logical shape and lay it out transposed; forward_grouped retries row-major if refused.
        stacked[h] = {k: torch.stack([experts[e][k] for e in ids]).transpose(-2, -1).contiguous().transpose(-2, -1)
                      for k in experts[ids[0]]}

    def forward_grouped(xf):
        idx, wts = route(xf)
        xb = xf.to(bf)
        y = torch.zeros_like(xf)
        flat_e = idx.reshape(-1)
        flat_t = torch.arange(xf.shape[0], device=dev).repeat_interleave(idx.shape[1])
        flat_w = wts.reshape(-1)
        counts = torch.bincount(flat_e, minlength=E)
        for h, ids in classes.items():
            ids_t = torch.tensor(ids, device=dev)
            sel = torch.isin(flat_e, ids_t)
            e_sel, t_sel, w_sel = flat_e[sel], flat_t[sel], flat_w[sel]
            local = torch.searchsorted(ids_t, e_sel)
            order = torch.argsort(local, stable=True)
            t_sorted, w_sorted = t_sel[order], w_sel[order]
            offs = torch.cumsum(counts[ids_t], 0).to(torch.int32)
            a = xb[t_sorted]
            s = stacked[h]
            up = torch._grouped_mm(a, s["up"], offs=offs)
            hid = act(torch._grouped_mm(a, s["gate"], offs=offs), up) if swiglu else act(None, up)
            out = torch._grouped_mm(hid, s["down"], offs=offs)
            y.index_add_(0, t_sorted, out.float() * w_sorted[:, None])
        for p in shared:
            y += ffn(p, xb).float()
        return y

    def timed(fn, repeats=10, warmups=3):
        for _ in range(warmups):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(repeats):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            s.record()
            fn()
            e.record()
            torch.cuda.synchronize()
            times.append(s.elapsed_time(e) * 1e3)
        times.sort()
        return times[len(times) // 2], times[0]

    def rel(y):
        return float((y - y_ours).abs().max() / y.abs().max())

    result = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "tokens": int(x.shape[0])}
    y_loop = forward_loop(x)
    result["loop"] = dict(zip(("medianUs", "minUs"), timed(lambda: forward_loop(x))), maxRelDiffToOurs=rel(y_loop))
    try:
        try:
            y_grouped = forward_grouped(x)
        except RuntimeError:
            for h in stacked:
                stacked[h] = {k: v.contiguous() for k, v in stacked[h].items()}
            y_grouped = forward_grouped(x)
        result["grouped_mm"] = dict(zip(("medianUs", "minUs"), timed(lambda: forward_grouped(x))),
                                    maxRelDiffToOurs=rel(y_grouped))
    except Exception as ex:  # older torch, or a shape _grouped_mm does not take
        result["grouped_mm"] = {"error": f"{type(ex).__name__}: {ex}"}
    n = 8192
    a = torch.randn(n, n, device=dev, dtype=bf)
    b = torch.randn(n, n, device=dev, dtype=bf)
    med, mn = timed(lambda: a @ b, repeats=20, warmups=5)
    result["bf16PeakTflops"] = 2 * n ** 3 / (mn * 1e-6) / 1e12
    try:
        with open(f"{out_dir}/ours.json") as f:
            ours = json.load(f)
        best = min(v["medianUs"] for v in (result["loop"], result["grouped_mm"]) if "medianUs" in v)
        result["oursMedianUs"] = ours["medianUs"]
        result["ratioOursOverTorchBest"] = ours["medianUs"] / best
    except (OSError, KeyError, ValueError) as ex:
        result["ratioOursOverTorchBest"] = None
        result["ratioError"] = str(ex)
    write_json(out_dir, result)
    ok = result["loop"]["maxRelDiffToOurs"] <= 2e-2
    return 0 if ok else 1


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    meta, tensors = read_safetensors(argv[1])
    spec = parse_spec(meta["spec"])
    if "--dry-run" in argv:
        return dry_run(spec, tensors, argv[2])
    return gpu_run(spec, tensors, argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
