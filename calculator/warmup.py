"""The first iteration: why nanoGPT's iteration 0 takes 10-30 s, and how long each part is (all estimates).

nanoGPT train.py sets `t0 = time.time()` just before the loop and prints `dt = t1 - t0` for each iteration, so the
"iter 0" line includes everything the loop does first:
  - the step-0 evaluation: `if iter_num % eval_interval == 0` runs estimate_loss() (eval_iters forward passes on the
    train split and as many on val) before the first step; in eval mode under no_grad, torch.compile builds a
    second graph for it;
  - torch.compile's first compile of the training graph (Dynamo tracing, Inductor code generation and autotuning),
    which grows with the number of layers; a warm TorchInductor cache (same graph compiled before on the machine)
    makes it several times faster;
  - the first step itself, with cuBLAS/cuDNN initialisation and the allocator growing its pools.
Before t0, and so not in the printed iter 0, the process creates the CUDA context and builds and moves the model
("startup" here). The calibration measured: CUDA init 0.15-0.33 s, model build and .to(device) 5.2-7.1 s.

The constants are read from data/speed_model.json ("warmup"), fitted by tools/calibrate.py on two machines:
- the H100 server runs: the first training compile of a 6-layer and a 12-layer model (first_iter_s minus a steady
  step), the eval-graph compile (first estimate_loss call minus the second) and a cached recompile (the fp16 run
  that followed the bf16 one);
- the RTX 4070 desktop logs: nanoGPT's own "iter 0" lines, which hold the step-0 evaluation as well. What is left
  of them after the evaluation and the step is the compile on that machine: a fraction of the H100 server's
  (compile_scale, per segment), since compiling runs on the CPU (a desktop's fast cores) and a TorchInductor cache
  warm from earlier runs makes it several times shorter again.
The range on the compile part (warmup.range) spans a warm cache on a fast desktop to a cold one on a slow server.
"""

from __future__ import annotations


def compile_scale(constants: dict, segment: str | None) -> float:
    """The first compile on this kind of machine over the H100 server's (1 where there is no evidence)."""
    return constants["warmup"]["compile_scale"].get(segment or "", 1.0)


def first_iteration(n_layer: int, compile_: bool, step_s: float, eval_s: float, constants: dict,
                    segment: str | None = None, cached: bool = False) -> dict:
    w = constants["warmup"]
    startup = w["startup_s"]
    if compile_:
        scale = compile_scale(constants, segment)  # desktops compile faster than the H100 server
        first_compile = (w["compile_base_s"] + w["compile_layer_s"] * n_layer) * scale
        train_compile = first_compile * (w["cached_ratio"] if cached else 1.0)
        eval_compile = train_compile * w["eval_compile_ratio"] if eval_s > 0 else 0.0
        cached_total = first_compile * w["cached_ratio"] * (1 + (w["eval_compile_ratio"] if eval_s > 0 else 0.0))
    else:
        train_compile = eval_compile = cached_total = 0.0
    # Compiled runs pay cuBLAS/allocator start-up inside the compile time measured above; eager runs pay it here.
    first_step_extra = 0.0 if compile_ else w["eager_first_step_extra_s"]
    logged = eval_compile + eval_s + train_compile + first_step_extra + step_s
    return {
        "startup_seconds": startup,
        "compile_seconds": train_compile,
        "eval_compile_seconds": eval_compile,
        "step0_eval_seconds": eval_s,
        "first_step_seconds": step_s + first_step_extra,
        "first_iter_logged_seconds": logged,  # what nanoGPT prints as "iter 0: ... time"
        "first_iter_seconds": startup + logged,  # what the user waits for, from launch
        # both compiles again with a warm TorchInductor cache (the same graphs compiled before on this machine)
        "compile_cached_seconds": cached_total,
    }
