"""English: the source of truth and the default. Every key here must exist in every other language
(tests/test_i18n.py)."""

NUMBERS = {"decimal": ".", "group": ",", "group_min": 3, "percent": "%", "times": "x",
           "suffixes": ("T", "B", "M", "k")}

TEXTS = {
    # -- fmt.py: unit words --
    "fmt.n_a": "n/a",
    "fmt.none": "none",
    "fmt.years": "years",
    "fmt.money": "${n}",
    "fmt.gpu_hour": "GPU-hour",
    "fmt.gpu_hours": "GPU-hours",
    # -- words the result gives as values (shown through result["text"]) --
    "memory_verdict.fits": "fits",
    "memory_verdict.tight": "tight",
    "memory_verdict.does not fit": "does not fit",
    "bound.host (launch/Python overhead)": "host (launch/Python overhead)",
    "bound.memory bandwidth": "memory bandwidth",
    "bound.tensor-core math": "tensor-core math",
    "mfu_source.model": "model",
    "mfu_source.given": "given",
    "mfu_source.observed": "observed",
    "peak_label.BF16 tensor (FP32 accumulate)": "BF16 tensor (FP32 accumulate)",
    "peak_label.FP16 tensor (FP32 accumulate)": "FP16 tensor (FP32 accumulate)",
    "peak_label.TF32 tensor": "TF32 tensor",
    "peak_label.FP32 (no TF32 tensor cores)": "FP32 (no TF32 tensor cores)",
    "peak_label.custom peak (given by the user)": "custom peak (given by the user)",
    "compare.emulated": "{ms} (bf16 emulated; float16: {fp16})",
    # -- estimate.py --
    "peak_label.BF16 emulated (FP32 units)": "BF16 emulated (FP32 units)",
    "peak_label.FP32 (Apple GPU)": "FP32 (Apple GPU)",
    "peak_label.FP32 (CPU cores)": "FP32 (CPU cores)",
    "dtype.bfloat16": "bfloat16",
    "dtype.float16": "float16",
    "dtype.float32": "float32",
    "device.mps_needs_apple": "device=mps runs on an Apple chip's GPU, not on the {gpu}: put the chip in gpu (for "
                              "example Apple M3 Max, Apple M4).",
    "device.apple_needs_mps": "the {gpu} is an Apple chip: set device to mps (its GPU) or cpu (its CPU cores).",
    "warn.device_float32": "nanoGPT runs float32 on {device}, whatever dtype says ({dtype}): its autocast context is "
                           "used only on CUDA. The estimate is for float32.",
    "warn.mps_compile": "torch.compile on mps was slower than eager in the public runs, and nanoGPT's README runs mps "
                        "with --compile=False: the estimate is for eager mode.",
    "warn.bf16_emulated": "The {gpu} has no BF16 tensor cores, but torch.cuda.is_bf16_supported() says yes (PyTorch "
                          "2.3 and later emulate bf16 on the FP32 units), so nanoGPT's default picks bfloat16 here: "
                          "at best the FP32 rate, {times} the time of float16 ({fp16}). Set dtype=float16.",
    "warn.no_fit_static": "Does not fit in memory, and no batch size helps: the fp32 weights, gradients and AdamW's "
                          "two moments alone take {static} (16 bytes per parameter) on a {capacity} card. It takes a "
                          "card with more memory, more GPUs with the optimizer state sharded (FSDP or ZeRO, which "
                          "nanoGPT does not do), or a smaller model.",
    "warn.no_fit": "Does not fit in memory: about {need} needed on a {capacity} card, of which the activations of one "
                   "micro-batch are {activations}. Lower batch_size (and raise gradient_accumulation_steps to keep "
                   "the tokens per iteration).",
    "warn.tight": "Memory is tight: about {need} of {capacity}; another process on the GPU could push it out of "
                  "memory.",
    "warn.ddp_slower": "More GPUs make this step slower: the gradient all-reduce ({allreduce} per iteration) costs "
                       "more than the micro-steps it saves; one GPU would take {one}.",
    "warn.unverified": "Some figures for the {gpu} are unverified ({what}).",
    # -- feasibility.py --
    "verdict.impossible": "impossible",
    "verdict.implausible": "implausible",
    "verdict.optimistic": "optimistic",
    "verdict.as expected": "as expected",
    "verdict.slow": "slow",
    "verdict.what": "{ms} means {tflops} per GPU, an MFU of {mfu} on the {gpu} (peak {peak})",
    "verdict.what_printed": "nanoGPT's printed mfu {printed} is against an A100's 312 TFLOPS: {tflops}, a true MFU "
                            "of {mfu} on the {gpu}",
    "verdict.impossible_message": "Impossible: {what}. That is {times} the card's peak; the model expects {model}, "
                                  "so the claim is {faster} too fast.",
    "verdict.implausible_message": "Implausible: {what}, above the {cap} that a bare large matmul reaches; no real "
                                   "training step gets there. The model expects {model}.",
    "verdict.optimistic_message": "Faster than expected but possible: {what}; the model expects {model} ({low} to "
                                  "{high} MFU).",
    "verdict.as_expected_message": "As expected: {what}; the model expects {model}.",
    "verdict.slow_message": "Slower than expected: {what}; the model expects {model}, so this run is {slower} "
                            "slower. Likely causes: {causes}.",
    "slow.shared": "the GPU is shared or thermally/power throttled",
    "slow.loader": "the data loader or CPU cannot keep up (check GPU utilisation in nvidia-smi)",
    "slow.compile": "torch.compile is off or recompiling (look for recompilation warnings)",
    "slow.dtype": "a slower dtype than you think (float32, or bfloat16 emulated on a GPU without BF16 tensor cores)",
    "slow.batch": "batch_size too small to fill the GPU",
    # -- cost.py --
    "cost.no_price": "no public rental price",
    "cost.your_price": "your price",
    "cost.enter_price": "enter a price per GPU-hour to cost it",
    "cost.board_power": " (board power)",
    "cost.unknown_draw": "unknown draw: enter power_watts",
    "cost.unknown_energy": "unknown: enter power_watts",
    "cost.no_kwh_price": "no electricity price given",
    "cost.unknown": "unknown",
    "cost.not_given": "not given",
    # -- rent.py --
    "rent.a": "a {name}",
    "rent.time_cost": "{time} for about {cost}",
    "rent.and": " and ",
    "rent.mark.fastest": "fastest",
    "rent.mark.cheapest": "cheapest",
    "rent.own": "your {cards} takes {time}",
    "rent.energy": "about {kwh}",
    "rent.energy_cost": " ({cost} of electricity at {price})",
    "rent.and_about": " and {what}",
    "rent.none_fits": "No card with a listed price fits this run; {own}.",
    "rent.yours_fastest": "Your {cards} is the fastest listed card: {time_cost} rented",
    "rent.yours_fastest_energy": ", and {energy} on your own",
    "rent.renting": "Renting {many} would finish in {time_cost}; {own}.",
    "rent.cheapest": "The cheapest listed card for this run is the {card}: {time_cost}.",
    "rent.deadline_pick": "The cheapest listed card that finishes within {wanted} is the {card}: {time_cost}.",
    "rent.deadline_none": "No listed card finishes within {wanted}; the fastest, the {card}, takes {time}.",
    "rent.deadline_nothing": "No card with a listed price fits this run, so none finishes within {wanted}.",
    "rent.budget_pick": "The fastest listed card within {wanted} is the {card}: {time_cost}.",
    "rent.budget_none": "No listed card finishes this run for {wanted} or less; the cheapest, the {card}, costs "
                        "about {cost}.",
    "rent.budget_nothing": "No card with a listed price fits this run, so none finishes it for {wanted}.",
    "rent.costs_more": "costs more",
    "rent.costs_less": "costs less",
    "rent.costs_same": "costs the same",
    "rent.multi": "On {n} × {name} the same run takes {many_total} for about {many_cost}, against {one_total} for "
                  "about {one_cost} on one: {speedup} faster, and it {verdict} ({ratio} the cost)",
    "rent.multi_why": ", since the gradient all-reduce and the warm-up are paid on every GPU.",
    "rent.multi_cannot": "{n} × {name} cannot run the same run: {reason}.",
    "rent.no_split": "gradient_accumulation_steps ({gas}) is not a multiple of {n}, so nanoGPT cannot split it over "
                     "{n} GPUs",
    "rent.prices": "Prices are public on-demand rates per GPU-hour read between {oldest} and {newest}; they change, "
                   "so check the provider's page, or enter your own price.",
    # -- loganalysis.py --
    "rent.table.total": "total time",
    "rent.table.cost": "cost",
    "rent.table.per_hour": "$/GPU-hour",
    "rent.table.memory": "memory",
    "rent.table.source": "price from",
    "rent.table.cannot": "cannot run",
    "rent.table.note": "* your GPU. Cost = total time x num_gpus x price per GPU-hour; '-': no public rental price.",
    "log.format.mixed": "several formats",
    "log.format.unknown": "no known format",
    "log.spread": "{low} to {high}",
    "log.all_excluded": "All {n} iteration times found were left out of the steady state (start-up, warm-up, "
                        "evaluations): paste more lines from later in the run.",
    "log.all_excluded_one": "All 1 iteration time found was left out of the steady state (start-up, warm-up, "
                            "evaluations): paste more lines from later in the run.",
    "log.read_as": "Read as {format}: {why}",
    "log.known_formats": "No iteration times found in the pasted text. The formats read, with an example line of "
                         "each:",
    "log.report.head": "Log: {format}, {seen} iterations seen, {skipped} lines not understood (skipped), {excluded} "
                       "iterations excluded from the steady state.",
    "log.report.read_as": "  read as: {why}",
    "log.report.line": "line {n}",
    "log.report.excluded": "  excluded {n} ({shown}): {reason}",
    "log.report.steady": "Steady speed: {ms} (median of {kept}; spread {spread}), {rate}.",
    "log.report.micro": "The log counts micro-steps, {micro} per optimizer step; one optimizer step: {step} (the "
                        "tokens per second, MFU and ETA use it).",
    "log.report.true_mfu": "True MFU on the {gpu}: {mfu} (peak {peak}).",
    "log.report.printed": "nanoGPT printed mfu {printed}, against an A100's 312 TFLOPS: that is {true} of your GPU's "
                          "peak.",
    "log.report.eta": "ETA: {eta} from iteration {start} to max_iters={max_iters} ({steps} steps, {evals} evals).",
    # -- logparse.py: why an iteration is left out of the steady state (the reasons are the keys) --
    "reason.iteration 0: torch.compile, CUDA start-up and the step-0 eval":
        "iteration 0: torch.compile, CUDA start-up and the step-0 eval",
    "reason.warm-up (nanoGPT prints mfu -100% for these)": "warm-up (nanoGPT prints mfu -100% for these)",
    "reason.every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step":
        "every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step",
    "reason.evaluation/checkpoint timed inside this iteration": "evaluation/checkpoint timed inside this iteration",
    "reason.earlier running average: only the later half of the progress-bar rates is used":
        "earlier running average: only the later half of the progress-bar rates is used",
    "reason.whole-run average (includes warm-up and evaluation)":
        "whole-run average (includes warm-up and evaluation)",
    "reason.spike (> 3x the median): eval, checkpoint, data loading or another process":
        "spike (> 3x the median): eval, checkpoint, data loading or another process",
    # -- cli.py: the terminal table (labels, then ".text" with {t[...]} = result["text"], {v[...]} = inputs, {g[...]}
    # = the GPU, {c[...]} = the cost's texts) --
    "cli.error": "error",
    "cli.warning": "WARNING",
    "cli.scenario": "Scenario",
    "cli.model": "model",
    "cli.model.text": "{v[n_layer]} layers x {v[n_head]} heads x {v[n_embd]} wide, vocab {v[vocab_size]}, block "
                      "{v[block_size]}: {t[params]} parameters (nanoGPT count)",
    "cli.tokens": "tokens per iteration",
    "cli.tokens.text": "{t[tokens_per_iter]} = {v[batch_size]} x {v[gradient_accumulation_steps]} x {v[block_size]}",
    "cli.gpu": "GPU",
    "cli.gpu.text": "{v[num_gpus]} x {g[name]}, {t[dtype]}, compile={v[compile]}: peak {t[peak_tflops]} "
                    "({t[gpu.peak_label]})",
    "cli.flops": "FLOPs per iteration",
    "cli.flops.text": "{t[flops_per_iter]} (6N + 12LHQT per token, nanoGPT estimate_mfu)",
    "cli.speed": "Speed after warm-up",
    "cli.time": "time per iteration",
    "cli.time.text": "{t[ms_per_iter]} (range {t[ms_per_iter_low]} to {t[ms_per_iter_high]})",
    "cli.mfu": "MFU",
    "cli.mfu.text": "{t[mfu]} of the {g[name]}'s peak ({t[mfu_source]}; range {t[mfu_low]} to {t[mfu_high]}); "
                    "limited by {t[bound]}",
    "cli.throughput": "throughput",
    "cli.throughput.text": "{t[tokens_per_sec]} ({t[tokens_per_sec_per_gpu]} per GPU), {t[achieved_tflops]} per GPU",
    "cli.printed": "nanoGPT will print",
    "cli.printed.text": "mfu {t[nanogpt_printed_mfu]} (against an A100's 312 TFLOPS; -100.00% for the first 5 "
                        "iterations)",
    "cli.first": "First iteration",
    "cli.iter0": "iteration 0 in the log",
    "cli.iter0.text": "{t[first_iter_logged_seconds]}: compile {t[compile_seconds]}, eval-graph compile "
                      "{t[eval_compile_seconds]}, step-0 eval {t[step0_eval_seconds]}, first step "
                      "{t[first_step_seconds]}",
    "cli.startup": "plus start-up",
    "cli.startup.text": "{t[startup_seconds]} (CUDA context, model build) before the loop",
    "cli.whole": "Whole run",
    "cli.total": "total",
    "cli.total.text": "{t[total_seconds]} (range {t[total_seconds_low]} to {t[total_seconds_high]})",
    "cli.warmup": "  warm-up",
    "cli.warmup.text": "{t[warmup_seconds]}",
    "cli.training": "  training steps",
    "cli.training.text": "{t[training_seconds]} ({t[steps]} steps: max_iters + 1)",
    "cli.evals": "  later evals",
    "cli.evals.text": "{t[eval_seconds]} ({t[eval_count]} x {t[eval_each_seconds]})",
    "cli.checkpoints": "  checkpoints",
    "cli.checkpoints.text": "{t[checkpoint_total_seconds]}",
    "cli.memory": "Memory per GPU",
    "cli.memory.text": "{t[memory_need_gib]} of {t[memory_capacity_gib]}: {t[memory_verdict]}",
    "cli.cost": "Cost (whole run)",
    "cli.rented": "rented",
    "cli.rented.text": "{c[run_cost]}: {c[gpu_hours]} at {c[price_per_hour]} ({c[price_source]})",
    "cli.rented.none": "{c[run_cost]} for this card (give --price-per-hour)",
    "cli.energy": "energy",
    "cli.energy.none": "unknown for this card (give --power-watts)",
    "cli.energy.text": "{c[energy_kwh]} at {c[power_watts]}",
    "cli.energy.cost": ": {c[energy_cost]} at {c[kwh_price]}",
    "cli.energy.no_price": " (give --kwh-price for its cost)",
    "cli.check": "Check",
    "cli.verdict": "verdict",
}
