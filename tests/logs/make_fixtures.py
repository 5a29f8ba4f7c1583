"""Regenerates the synthetic fixture logs in this folder (python3 tests/logs/make_fixtures.py).

The logs are written from the projects' print format strings with made-up numbers; tests/test_logparse.py recomputes
the expected values from the same formulas (nano_ms, llmc_ms, ...), independently of the parser.
"""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name: str, text: str, newline: str = "\n") -> None:
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(text.replace("\n", newline))


# ---------------------------------------------------------------------------------------------------------- nanoGPT
NANO_EVAL_EVERY = 20
NANO_SPIKE_ITER = 33


def nano_ms(i: int) -> float:
    if i == 0:
        return 41234.56
    if i < 5:
        return 310.0 + i
    if i % NANO_EVAL_EVERY == 0:
        return 3200.0 + i
    if i == NANO_SPIKE_ITER:
        return 1100.0
    return 250.0 + ((i * 37) % 17) * 0.5


def nano_mfu(i: int) -> float:
    return -1.0 if i < 5 else 0.30 + (i % 5) * 0.001


def nanogpt() -> None:
    out = [
        "Overriding config with config/train_shakespeare_char.py:",
        "# train a miniature character-level shakespeare model",
        "out_dir = 'out-shakespeare-char'",
        "Overriding: max_iters = 60",
        "tokens per iteration will be: 16,384",
        "found vocab_size = 65 (inside data/shakespeare_char/meta.pkl)",
        "Initializing a new model from scratch",
        "number of parameters: 10.65M",
        "/usr/lib/python3/site-packages/torch/_inductor/compile_fx.py:150: UserWarning: TensorFloat32 tensor cores "
        "for float32 matrix multiplication available but not enabled.",
        "  warnings.warn(",
        "num decayed parameter tensors: 26, with 10,740,096 parameters",
        "using fused AdamW: True",
        "compiling the model... (takes a ~minute)",
    ]
    for i in range(60):
        if i % NANO_EVAL_EVERY == 0:
            out.append(f"step {i}: train loss {4.2 - i * 0.01:.4f}, val loss {4.25 - i * 0.01:.4f}")
            if i > 0:
                out.append("saving checkpoint to out-shakespeare-char")
        out.append(f"iter {i}: loss {4.2 - i * 0.02:.4f}, time {nano_ms(i):.2f}ms, mfu {nano_mfu(i) * 100:.2f}%")
    out.append("iter 60: loss 3.0")  # truncated paste
    write("nanogpt.log", "\n".join(out))


# ---------------------------------------------------------------------------------------------------------- llm.c
LLMC_STEPS = 40
LLMC_SPIKE = 25


def llmc_ms(step: int) -> float:  # step as printed (1-based)
    if step == 1:
        return 912.5
    if step <= 5:
        return 140.0 + step
    if step == LLMC_SPIKE:
        return 500.0
    return 120.0 + (step % 7) * 0.25


def llmc_mfu(step: int) -> float:
    return 40.0 + (step % 3) * 0.1


def llmc() -> None:
    bar = "+-----------------------+----------------------------------------------------+"
    out = [
        "Multi-GPU support is disabled. Using a single GPU.",
        bar,
        "| Parameter             | Value                                              |",
        bar,
        "| train data pattern    | dev/data/tinyshakespeare/tiny_shakespeare_train.bin |",
        "| max_steps             | -1                                                 |",
        "| val_loss_every        | 10                                                 |",
        bar,
        "| device                | NVIDIA H100 80GB HBM3                              |",
        "| peak TFlops           | 989.5                                              |",
        bar,
        "num_parameters: 124475904 => bytes: 248951808",
        "allocated 237 MiB for model parameters",
        "batch_size B=4 * seq_len T=1024 * num_processes=1 and total_batch_size=4096",
        "=> setting grad_accum_steps=1",
    ]
    for s in range(0, LLMC_STEPS + 1):
        if s % 10 == 0:
            out.append(f"val loss {4.5 - s * 0.01:f}")
        if s == 20:
            out += ["generating:", "---", "The king hath spoken; step 5 of 9 | 3 ms to go", "---"]
        if s == LLMC_STEPS:
            break
        step = s + 1
        loss = 4.4 - s * 0.01
        toks = 4096 / llmc_ms(step) * 1000
        out.append(
            f"step {step:4d}/{LLMC_STEPS} | loss {loss:7.6f} ({0.0:+.2f}z)| norm {1.2345:6.4f} ({0.0:+.2f}z)| "
            f"lr {6e-4:.2e} | {llmc_ms(step):.2f} ms | {llmc_mfu(step):.1f}% bf16 MFU | {toks:.0f} tok/s"
        )
    out.append("total average iteration time: 121.234567 ms")
    write("llmc.log", "\n".join(out) + "\n")


LLMC_OLD_STEPS = 20


def llmc_old_ms(step: int) -> float:
    return 300.0 if step == 1 else 95.0 + (step % 4)


def llmc_old() -> None:
    out = ["[GPT-2]", "max_seq_len: 1024", "val loss 5.325529"]
    for s in range(LLMC_OLD_STEPS):
        step = s + 1
        out.append(f"step {step:4d}/{LLMC_OLD_STEPS}: train loss {4.3 - s * 0.02:f} ({llmc_old_ms(step):f} ms, "
                   f"{int(4096 / llmc_old_ms(step) * 1000)} tok/s)")
    out.append("total average iteration time: 96.100000 ms")
    write("llmc_old.log", "\n".join(out) + "\n")


# ---------------------------------------------------------------------------------------------------------- HF Trainer
HF_TOTAL = 300
HF_CHUNK = 50


def hf_rate(n: int) -> float:  # it/s shown at update n (n >= 1)
    return 2.0 + min(n, 40) * 0.035 + (n % 3) * 0.01


def tqdm_bar(n: int, total: int, rate: float | None, desc: str = "", postfix: str = "") -> str:
    pct = int(100 * n / total)
    filled = int(10 * n / total)
    bar = "\u2588" * filled + " " * (10 - filled)
    rate_s = "?it/s" if rate is None else (f"{rate:5.2f}it/s" if rate >= 1 else f"{1 / rate:5.2f}s/it")
    d = f"{desc}: " if desc else ""
    return f"{d}{pct:3d}%|{bar}| {n}/{total} [00:{n % 60:02d}<01:{(total - n) % 60:02d}, {rate_s}{postfix}]"


def hf_trainer() -> None:
    parts = [
        "[INFO|trainer.py:2128] 2024-05-01 10:00:00,000 >> ***** Running training *****\n",
        "[INFO|trainer.py:2129] 2024-05-01 10:00:00,000 >>   Num examples = 4,800\n",
        "[INFO|trainer.py:2131] 2024-05-01 10:00:00,000 >>   Instantaneous batch size per device = 16\n",
        "[INFO|trainer.py:2136] 2024-05-01 10:00:00,000 >>   Total optimization steps = 300\n",
        "\x1b[33mwarning: the tokenizer has no pad token; using eos\x1b[0m\n",
        "\r" + tqdm_bar(0, HF_TOTAL, None),
    ]
    for n in range(1, HF_TOTAL + 1):
        parts.append("\r" + tqdm_bar(n, HF_TOTAL, hf_rate(n)))
        if n % HF_CHUNK == 0:
            parts.append("\r" + " " * 60 + "\r")
            parts.append(f"{{'loss': {3.0 - n * 0.003:.4f}, 'grad_norm': 1.53, 'learning_rate': 5e-05, "
                         f"'epoch': {n / HF_TOTAL:.2f}}}\n")
            if n == 150:  # evaluation bar, shorter total
                parts.append("\r" + tqdm_bar(0, 25, None))
                for k in range(1, 26):
                    parts.append("\r" + tqdm_bar(k, 25, 9.8))
                parts.append("\n{'eval_loss': 2.4567, 'eval_runtime': 2.55, 'eval_samples_per_second': 78.4, "
                             "'eval_steps_per_second': 9.8, 'epoch': 0.5}\n")
    parts.append("\n{'train_runtime': 101.2, 'train_samples_per_second': 47.43, 'train_steps_per_second': 2.964, "
                 "'train_loss': 2.6, 'epoch': 1.0}\n")
    write("hf_trainer.log", "".join(parts))


# ---------------------------------------------------------------------------------------------------------- Lightning
LIGHTNING_EPOCHS = 3
LIGHTNING_BATCHES = 100


def lightning_rate(epoch: int, n: int) -> float:
    return 4.0 + epoch * 0.1 + (n % 4) * 0.01


def lightning() -> None:
    parts = [
        "GPU available: True (cuda), used: True\n",
        "TPU available: False, using: 0 TPU cores\n",
        "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]\n",
        "  | Name  | Type | Params\n",
        "---------------------------------\n",
        "0 | model | GPT  | 10.7 M\n",
        "\rSanity Checking: |          | 0/? [00:00<?, ?it/s]"
        "\rSanity Checking DataLoader 0: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588| 2/2 "
        "[00:00<00:00,  9.12it/s]\n",
    ]
    for e in range(LIGHTNING_EPOCHS):
        line = [f"\r\x1b[2K{tqdm_bar(0, LIGHTNING_BATCHES, None, f'Epoch {e}')}"]
        for n in range(1, LIGHTNING_BATCHES + 1):
            line.append("\r" + tqdm_bar(n, LIGHTNING_BATCHES, lightning_rate(e, n), f"Epoch {e}",
                                        f", v_num=0, train_loss={2.5 - e * 0.1 - n * 0.001:.3f}"))
        for k in range(1, 11):
            line.append("\r" + tqdm_bar(k, 10, 30.0, "Validation DataLoader 0"))
        line.append("\r" + tqdm_bar(LIGHTNING_BATCHES, LIGHTNING_BATCHES, lightning_rate(e, LIGHTNING_BATCHES),
                                    f"Epoch {e}", f", v_num=0, train_loss=2.000, val_loss={2.3 - e * 0.05:.3f}"))
        parts.append("".join(line) + "\n")
    parts.append("`Trainer.fit` stopped: `max_epochs=3` reached.\n")
    write("lightning.log", "".join(parts))


# ---------------------------------------------------------------------------------------------------------- tqdm \r
TQDM_TOTAL = 200
TQDM_LAST = 180


def tqdm_rate(n: int) -> float:  # s/it below 1 it/s
    return 0.6 + (n % 5) * 0.002


def tqdm_cr() -> None:
    parts = ["Map: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588| 1000/1000 "
             "[00:01<00:00, 812.34 examples/s]\n", "\r" + tqdm_bar(0, TQDM_TOTAL, None, "train")]
    for n in range(1, TQDM_LAST + 1):
        parts.append("\r" + tqdm_bar(n, TQDM_TOTAL, tqdm_rate(n), "train", f", loss={3 - n * 0.005:.3f}"))
    parts.append("\r train:  90%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588 | 181/200 [05:0")  # truncated
    write("tqdm_cr.log", "".join(parts))


# ---------------------------------------------------------------------------------------------------------- plain
PLAIN_STEPS = 50
PLAIN_EVAL = 25


def plain_ms(step: int) -> float:
    if step == 0:
        return 5321.12
    if step % PLAIN_EVAL == 0:
        return 2100.0
    return 330.0 + (step % 9) * 0.75


def plain() -> None:
    out = ["using device: cuda", "total desired batch size: 524288", "=> calculated gradient accumulation steps: 32"]
    for s in range(PLAIN_STEPS):
        if s % PLAIN_EVAL == 0:
            out.append(f"validation loss: {10.9 - s * 0.01:.4f}")
            out.append(f"HellaSwag accuracy: 2534/10042=0.{2500 + s}")
        ms = plain_ms(s)
        out.append(f"step {s:5d} | loss {10.9 - s * 0.02:.6f} | lr {6e-4:.4e} | norm: {0.9:.4f} | dt: {ms:.2f}ms | "
                   f"tok/sec: {524288 / ms * 1000:.2f}")
    write("plain.log", "\n".join(out) + "\n")


# ---------------------------------------------------------------------------------------------------------- mixed
def mixed() -> None:
    out = [
        "\x1b[1m\x1b[32m==> run 1: nanoGPT\x1b[0m",
        "iter 0: loss 4.0000, time 30000.00ms, mfu -100.00%",
    ]
    for i in range(1, 12):
        out.append(f"iter {i}: loss {4 - i * 0.01:.4f}, time {200 + i:.2f}ms, mfu {-100 if i < 5 else 20 + i:.2f}%")
    out += [
        "Traceback (most recent call last):",
        '  File "train.py", line 321, in <module>',
        "    X, Y = get_batch('train')",
        "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
        "\x00\x01\ufffd\ufffd garbage \x7f",
        "==> run 2: something else",
    ]
    for k in range(1, 13):
        out.append(f"epoch 1 step {k * 10}: {180 + k:.1f} ms/iter, loss {3.5 - k * 0.01:.3f}")
    out.append("{'loss': 3.1, 'epoch': 0.5}")
    write("mixed.log", "\n".join(out) + "\n", newline="\r\n")


if __name__ == "__main__":
    nanogpt()
    llmc()
    llmc_old()
    hf_trainer()
    lightning()
    tqdm_cr()
    plain()
    mixed()
