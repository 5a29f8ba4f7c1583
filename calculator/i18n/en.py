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
    "dtype.float8": "float8",
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
                          "card with more memory, more GPUs with the state sharded (sharding=fsdp, zero1 or zero2: "
                          "not nanoGPT's DDP), tensor or pipeline parallelism, or a smaller model.",
    "warn.no_fit": "Does not fit in memory: about {need} needed on a {capacity} card, of which the activations of one "
                   "micro-batch are {activations}. Lower batch_size (and raise gradient_accumulation_steps to keep "
                   "the tokens per iteration).",
    "warn.fit_with": "It would fit with {fixes}.",
    "warn.fit_none": "None of sharding=fsdp, full activation checkpointing, tensor parallelism within a node or a "
                     "micro-batch of one makes it fit: it takes more GPUs, larger cards or a smaller model.",
    "bound.communication": "communication",
    "error.no_fp8": "float8 needs FP8 tensor cores ({archs}); the {gpu} has none: use bfloat16",
    "warn.gas_rounded": "gradient_accumulation_steps is the default {gas}, which the {dp} data-parallel ranks do "
                        "not divide (nanoGPT would stop): the estimate takes {total} micro-steps in all, {micro} on "
                        "each rank. Set gradient_accumulation_steps to choose the batch.",
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
    "rent.an": "an {name}",
    "rent.time_cost": "{time} for about {cost}",
    "rent.and": " and ",
    "rent.mark.fastest": "fastest",
    "rent.mark.cheapest": "cheapest",
    "rent.own": "your {cards} takes {time}",
    "rent.energy": "about {kwh}",
    "rent.energy_priced": "{energy} ({cost} of electricity at {price})",
    "rent.own_energy": "{own} and {energy}",
    "rent.none_fits": "No card with a listed price fits this run; {own}.",
    "rent.yours_fastest": "Your {cards} is the fastest listed card: {time_cost} rented.",
    "rent.yours_fastest_energy": "Your {cards} is the fastest listed card: {time_cost} rented, and {energy} on your "
                                 "own.",
    "rent.renting": "Renting {many} would finish in {time_cost}; {own}.",
    "rent.renting_cheapest": "{renting} The cheapest listed card for this run is the {card}: {time_cost}.",
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
                  "about {one_cost} on one: {speedup} faster, and it {verdict} ({ratio} the cost).",
    "rent.multi_why": "On {n} × {name} the same run takes {many_total} for about {many_cost}, against {one_total} "
                      "for about {one_cost} on one: {speedup} faster, and it {verdict} ({ratio} the cost), since "
                      "the gradient all-reduce and the warm-up are paid on every GPU.",
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
    "log.read_as_then": "Read as {format}: {why} {then}",
    "log.known_format": "- {title}: {example}",
    "log.known_formats": "No iteration times found in the pasted text. The formats read, with an example line of "
                         "each:\n{formats}",
    # -- logparse.py: how a log was read (ParsedLog.why) and its formats' notes --
    "log.why": "{parts}.",
    "log.why.lines": "{n} lines of {title} ({semantics})",
    "log.why.line": "1 line of {title} ({semantics})",
    "log.why.with_note": "{part}; {note}",
    "log.why.no_time": "lines of {title} were found, but none with a time per step.",
    "log.why.no_time_note": "lines of {title} were found, but none with a time per step: {note}.",
    "lognote.hf_summary": "time per step = train_runtime ÷ the run's optimizer steps (a whole-run average)",
    "lognote.modded_val_only": "validation lines only: one figure per window between them (difference of the "
                               "cumulative train_time over the difference of steps)",
    "lognote.deepspeed_samples": "time per step = train_batch_size ÷ CurrSamplesPerSec",
    "lognote.keras_val": "epochs that print val_loss include their validation in the epoch's time",
    "lognote.fairseq_epochs": "epoch summaries only: each is the average over its epoch's updates",
    "lognote.bar_elapsed": "steps {first}-{last}: the rate ({rate} s/it) is outside what the elapsed column allows "
                           "({low}-{high} s/it): the elapsed column's slope is used",
    "lognote.rank_copies": "each step was printed {n} times (once per rank): each counted once",
    "lognote.deepspeed_needs_batch": "samples/sec without the global batch size: the time per step is "
                                     "train_batch_size ÷ CurrSamplesPerSec; paste DeepSpeed's configuration dump "
                                     "(train_batch_size ….. N) or the launch line (--train_batch_size N) with the log",
    "lognote.keras_no_steps": "epoch lines without their steps (Keras 2.2 verbose=2): an epoch's time cannot be "
                              "divided into steps; use verbose=1 or 2 of a later Keras",
    "lognote.timestamps": "time per step from the timestamps between consecutive step lines",
    "lognote.torchtitan_tps": "time per step = tokens per step (local batch size × sequence length, as printed) ÷ tps",
    "lognote.torchtitan_tps_mesh": "time per step = tokens per step (local batch size × sequence length, as printed) "
                                   "÷ (tps × the {n} GPUs that split one model copy: tp × pp × cp of the device "
                                   "mesh)",
    "lognote.torchtitan_no_time": "no timestamps and no 'local batch size … sequence length' line: the time per step "
                                  "cannot be derived",
    "log.report.head": "Log: {format}, {seen} iterations seen, {skipped} lines not understood (skipped), {excluded} "
                       "iterations excluded from the steady state.",
    "log.report.read_as": "  read as: {why}",
    "log.report.line": "line {n}",
    "log.report.more": "{shown} ...",
    "log.report.excluded": "  excluded {n} ({shown}): {reason}",
    "log.report.steady": "Steady speed: {ms} (median of {kept}; spread {spread}), {rate}.",
    "log.report.micro": "The log counts micro-steps, {micro} per optimizer step; one optimizer step: {step} (the "
                        "tokens per second, MFU and ETA use it).",
    "log.report.true_mfu": "True MFU on the {gpu}: {mfu} (peak {peak}).",
    "log.report.printed": "nanoGPT printed mfu {printed}, against an A100's 312 TFLOPS: that is {true} of your GPU's "
                          "peak.",
    "log.report.eta": "ETA: {eta} from iteration {start} to max_iters={max_iters} ({steps} steps, {evals} evals).",
    "log.report.runs": "The paste holds {n} training runs: the last, {run}, is the one reported.",
    "log.report.other_runs": "  before it: {runs}",
    "log.run": "run {k} (lines {first}-{last})",
    "log.run_steady": "{run} at {ms}",
    "log.report.rank_copies": "Each step was printed {n} times (once per rank): each counted once.",
    "log.report.stated_tokens": "The log states {tokens} tokens per optimizer step: at its speed, {rate}.",
    "log.report.stated_mfu": "MFU from what the log states ({basis}) on {gpus} × {gpu}: {mfu}.",
    "log.report.run": "The analysis uses {run}.",
    "log.report.run_unused": "The scenario stays the form's: {run}.",
    "log.run_parts": "{parts}",
    "log.run_used": "the log's run: {items}",
    "log.run_gpus": "{n} GPUs",
    "log.run_gpus_one": "{n} GPU",
    "log.run_tp": "tensor parallelism of {n}",
    "log.run_pp": "{n} pipeline stages",
    "log.run_cp": "context parallelism of {n}",
    "log.run_seq": "sequence {n}",
    "log.run_tokens": "{tokens} tokens per step (batch_size {batch} × gradient_accumulation_steps {gas} × block_size "
                      "{block})",
    "log.run_instead": "{item} instead of the scenario's {was}",
    "log.run_rejected": "the log's {item} is not used ({field}: {error}), the scenario's is kept",
    "log.run_not_whole": "the log's {tokens} tokens per step are not used: not a whole number of sequences of {block}",
    "log.run_micro_divides": "the log's micro-batch of {micro} is not used: it does not divide the {sequences} "
                             "sequences of a step (1 per micro-step instead)",
    "log.report.flops": "  {model} (6 × the parameters in matmuls + 12·L·H·Q·T of full attention; an untied input "
                        "embedding is a lookup, not counted).",
    "log.arch": "{model_type}, {n_layer} layers, {n_embd} wide, {n_head} heads ({n_kv_head} key/value), MLP {ffn}, "
                "vocabulary {vocab}, sequence {block}: {params} parameters",
    "log.flops_log": "FLOPs counted for the model the log states ({model}): {flops} per token",
    "log.flops_form": "FLOPs counted for the scenario's model ({model}): {flops} per token",
    "log.shape_rejected": "the model the log states cannot be used ({field}: {error})",
    "log.flops_rejected": "{rejected}; {then}",
    "log.stated_basis_shape": "the model it states, {flops} per token",
    "log.stated_basis_params": "{params} parameters, 6 FLOPs per parameter and token",
    # -- logparse.py: why an iteration is left out of the steady state (the reasons are the keys) --
    "reason.iteration 0: torch.compile, CUDA start-up and the step-0 eval":
        "iteration 0: torch.compile, CUDA start-up and the step-0 eval",
    "reason.warm-up (nanoGPT prints mfu -100% for these)": "warm-up (nanoGPT prints mfu -100% for these)",
    "reason.warm-up (a progress bar's first updates, before its rate settles)":
        "warm-up (a progress bar's first updates, before its rate settles)",
    "reason.warm-up (the first steps of a run: allocator growth, autotuning, recompiles)":
        "warm-up (the first steps of a run: allocator growth, autotuning, recompiles)",
    "reason.every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step":
        "every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step",
    "reason.evaluation/checkpoint timed inside this iteration": "evaluation/checkpoint timed inside this iteration",
    "reason.earlier running average: only the later half of the progress-bar rates is used":
        "earlier running average: only the later half of the progress-bar rates is used",
    "reason.whole-run average (includes warm-up and evaluation)":
        "whole-run average (includes warm-up and evaluation)",
    "reason.spike (> 3x the median): eval, checkpoint, data loading or another process":
        "spike (> 3x the median): eval, checkpoint, data loading or another process",
    "reason.an earlier run in the same paste (the last run is the one reported)":
        "an earlier run in the same paste (the last run is the one reported)",
    # -- cli.py: the terminal table (labels, then ".text" with {t[...]} = result["text"], {v[...]} = inputs, {g[...]}
    # = the GPU, {c[...]} = the cost's texts) --
    "cli.see_help": "(python -m calculator --help)",
    "cli.did_you_mean": "{arg}: did you mean {flags}?",
    "cli.help.description": "How long will a nanoGPT-style training run take, and is what my log says normal?",
    "cli.help.epilog": "Inputs use nanoGPT's config names; --name=value and --name value both work. Example: python -m "
                       "calculator --gpu=rtx-4090 --batch_size=12 --n_layer=12 --n_head=12 --n_embd=768",
    "cli.help.config": "nanoGPT config files (name = value lines) or Hugging Face config.json files (the model's "
                       "sizes); read, never executed",
    "cli.help.field": "{help} [{range}; default {default}]",
    "cli.help.output": "Output",
    "cli.help.json": "print the result dict as JSON (its texts in English, whatever --lang says: JSON is for programs)",
    "cli.help.lang": "the language of the text output: {langs} (default: from LC_ALL, LC_MESSAGES or LANG, else en)",
    "cli.help.log": "analyse a training log (a file, or - for stdin)",
    "cli.help.list_gpus": "list the GPU catalogue and exit",
    "cli.help.list_models": "list the model presets (--model) with their parameters and exit",
    "cli.help.version": "show the version and exit",
    "cli.help.help": "show this help and exit",
    "cli.help.compare": "the run's time and cost on every catalogue card (cheapest and fastest marked), and the "
                        "cheapest within --deadline_hours, the fastest within --budget_usd, 8 GPUs against 1",
    # -- argparse's own messages, looked up whole as gettext does (cli._argparse_words) --
    "argparse.usage: ": "usage: ",
    "argparse.positional arguments": "positional arguments",
    "argparse.options": "options",
    "argparse.unrecognized arguments: %s": "unrecognized arguments: %s",
    "argparse.argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "argparse.expected one argument": "expected one argument",
    "argparse.expected at most one argument": "expected at most one argument",
    "argparse.ignored explicit argument %r": "ignored explicit argument %r",
    "argparse.invalid choice: %(value)r (choose from %(choices)s)":
        "invalid choice: %(value)r (choose from %(choices)s)",
    "argparse.ambiguous option: %(option)s could match %(matches)s":
        "ambiguous option: %(option)s could match %(matches)s",
    "cli.error": "error",
    "cli.reading_stdin": "Reading the log from the terminal: paste it, then Ctrl-D (Ctrl-Z Enter on Windows).",
    "cli.warning": "WARNING",
    "cli.scenario": "Scenario",
    "cli.model": "model",
    "cli.model.text": "{v[n_layer]} layers x {v[n_head]} heads x {v[n_embd]} wide, vocab {v[vocab_size]}, block "
                      "{v[block_size]}: {t[params]} parameters (nanoGPT count)",
    "cli.model.arch": "{a[model_type]}: {v[n_layer]} layers x {v[n_head]} heads ({a[n_kv_head]} key/value) x "
                      "{v[n_embd]} wide, MLP {ffn}, vocab {v[vocab_size]}, block {v[block_size]}: {t[params]} "
                      "parameters (all)",
    "cli.parallel": "Parallelism",
    "cli.layout": "layout",
    "cli.layout.text": "{p[nodes]} nodes x {p[gpus_per_node]}: {p[dp]} data-parallel ({sharding}) x {p[tp]} tensor "
                       "x {p[pp]} pipeline x {p[cp]} context; {link} inside a node, {network} between nodes",
    "cli.comm": "communication",
    "cli.comm.text": "{total} exposed per iteration ({share} of the {step} step): {parts}",
    "cli.comm.data_s": "data-parallel",
    "cli.comm.tensor_s": "tensor-parallel",
    "cli.comm.context_s": "context-parallel",
    "cli.comm.pipeline_s": "pipeline sends",
    "cli.bubble": "pipeline bubble",
    "cli.bubble.text": "{bubble} per iteration ({share})",
    "cli.hfu": "HFU",
    "cli.hfu.text": "{hfu} of the peak counting the recompute (activation_checkpointing={ac})",
    "cli.tokens": "tokens per iteration",
    "cli.tokens.text": "{t[tokens_per_iter]} = {v[batch_size]} x {r[micro_steps_total]} x {v[block_size]}",
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
    # -- input errors (calculator.errors.InputError: a key and its parameters; "{error}" is an earlier message) --
    "error.required": "is required: {range}",
    "error.must_be": "must be {range}, not {shown}{hint}",
    "error.too_close_to_zero": "must be {range}, not {shown}: too close to zero to compute with; the smallest size "
                               "accepted other than 0 is {tiny}",
    "error.unknown_input": "is not an input of this calculator; known inputs: {known}",
    "error.unknown_param": "is not an input of this calculator; it was ignored",
    "error.too_many_params": "has too many parameters; all inputs are at their defaults",
    "error.n_head_divides": "must divide n_embd ({n_embd} is not a multiple of {n_head}); nanoGPT asserts "
                            "n_embd % n_head == 0",
    "error.gas_multiple": "must be a multiple of num_gpus ({num_gpus}): nanoGPT asserts "
                          "gradient_accumulation_steps % ddp_world_size == 0",
    "error.kv_divides": "must divide n_head ({n_head} query heads are not a multiple of {n_kv_head} key/value heads)",
    "error.tp_divides_heads": "must divide the attention heads: {tp} GPUs cannot split {n_head} query heads and "
                              "{n_kv_head} key/value heads evenly",
    "error.pp_layers": "must be at most n_layer: {pp} pipeline stages for {n_layer} layers leave a stage empty",
    "error.interleave_layers": "is too many: {pp} stages x {v} virtual stages is more chunks than the {n_layer} layers",
    "error.interleave_needs_pp": "needs a pipeline: {v} virtual stages split the layers of a pipeline stage, and "
                                 "pipeline_parallel is 1",
    "error.cp_divides": "must divide block_size ({block_size} tokens do not split evenly over {cp} GPUs)",
    "error.parallel_divides": "must be a multiple of tensor_parallel x pipeline_parallel x context_parallel "
                              "({tp} x {pp} x {cp} = {product}); {num_gpus} GPUs cannot be laid out that way",
    "error.model_unknown": "unknown model '{text}'; known: {known}",
    "error.model_unknown_suggest": "unknown model '{text}'; did you mean: {suggestions}?",
    "range.model": "a model preset's name (--list-models)",
    "error.using_default": "{error}; using the default ({default})",
    "error.using_the_default": "{error}; using the default",
    "error.using": "{error}; using {value}",
    "error.custom_required": "is required when gpu is 'custom'",
    "error.gpu_ambiguous": "'{text}' could be {choices}; give one of those ids",
    "error.gpu_unknown_suggest": "unknown GPU '{text}'; did you mean: {suggestions}? (or 'custom')",
    "error.gpu_unknown": "unknown GPU '{text}'; known: {known} (or 'custom')",
    "error.no_bf16": "the {gpu} has no BF16 tensor cores; use float16. (torch.cuda.is_bf16_supported() can still say "
                     "True, as it does on a T4, through emulation, which is slow, so nanoGPT's default picks "
                     "bfloat16 there)",
    "error.no_bf16_no_fp32": "the {gpu} has no BF16 tensor cores and no FP32 figure here; use float16",
    "error.no_peak": "the catalogue has no {dtype} peak for the {gpu}; choose another dtype, or gpu=custom with your "
                     "own peak",
    "error.too_large": "these inputs give a result too large to compute; use smaller values",
    "error.unreadable": "unreadable input",
    "error.internal": "internal error: the calculator failed on these inputs ({type})",
    "error.cannot_read": "cannot read {path}: {why}",
    "error.not_python": "not a Python file (syntax error on line {line})",
    "error.not_literal": "a value is not a literal",
    "error.config_too_large": "is too large for a config.json: {size} characters (at most {limit})",
    "error.config_too_deep": "nests deeper than a config.json does (more than {limit} levels)",
    "error.config_not_json": "is not JSON: it breaks at line {line}, column {column} (at {near})",
    "error.config_digits": "has a number with more than {limit} digits, which cannot be read",
    "error.config_not_object": "must be one JSON object ({{...}}) of the model's settings, not a JSON {kind}",
    "error.config_not_model": "is not a model config: it has none of the keys that give the layers or the width "
                              "({keys})",
    "error.config_missing": "is missing from the config.json; it is needed to count the model",
    "error.config_conflict": "disagrees with {name} in the same config.json ({other_value} against {value})",
    "error.config_no_type": "is missing from the config.json and no architecture it lists is known; supported: "
                            "{supported}",
    "error.config_model_type": "{shown} is not an architecture this calculator counts; supported: {supported}",
    "error.config_head_dim": "{shown} is not {width} / {heads} ({n_embd} / {n_head}): attention heads of another "
                             "width than the model's are not modelled",
    "error.config_experts": "{shown}: mixture-of-experts layers are not modelled",
    "error.config_not_modelled": "{shown} is not modelled: {model_type} is counted with {assumed}",
    "error.config_key": "{name} in the config.json: {error}",
    "oserror.ENOENT": "no such file",
    "oserror.EACCES": "permission denied",
    "oserror.EISDIR": "it is a folder",
    "oserror.ENOTDIR": "a part of the path is not a folder",
    "oserror.ELOOP": "too many symbolic links",
    "oserror.ENAMETOOLONG": "the name is too long",
    "gpu.choice": "{id} ({name})",
    "list.or": " or ",
    # -- what a field accepts (schema.Field.range_fact) --
    "range.bool": "true or false",
    "range.choice": "one of {choices}",
    "range.gpu": "a GPU id from the catalogue, or 'custom'",
    "range.int_between": "a whole number with {lo} {op} {name} <= {hi}",
    "range.number_between": "a number with {lo} {op} {name} <= {hi}",
    "range.int_min": "a whole number >= {lo}",
    "range.number_min": "a number >= {lo}",
    "range.int": "a whole number",
    "range.number": "a number",
    "hint.digits": "; write numbers with the digits 0-9",
    "hint.invisible": "; it contains a control or invisible character",
    "hint.radix": "; hexadecimal, octal and binary are not accepted",
    "hint.comma": " (write decimals with a point, as in Python: 0.5; and no thousands separator)",
    "show.digits": "a number of about {n} digits",
    "show.type": "a {type}",
    # -- words/parallel.py: the "Many GPUs" section --
    "list.semicolon": "; ",
    "many.layout_single": "This run uses one GPU: nothing is split and nothing is sent between GPUs. Set GPUs above "
                          "1 to see how a run is laid out over many.",
    "many.nodes_one": "in one machine of {per_node}",
    "many.nodes": "on {nodes} nodes (machines) of {per_node}",
    "many.model_split": "; each data-parallel rank is itself a group of {mp} GPUs that share one copy of the model",
    "many.layout": "This run uses {n} GPUs {where}, laid out as {dp} data-parallel × {tp} tensor-parallel × {pp} "
                   "pipeline × {cp} context-parallel = {n}. Each of the {dp} data-parallel ranks takes its own slice "
                   "of the data: micro-steps per iteration: {micro}, each of {batch} × {tokens} tokens{split}.",
    "many.sharding_single": "With one data-parallel rank nothing is sharded: each GPU keeps its weights ({w}), their "
                            "gradients ({g}) and AdamW's state ({o}).",
    "many.sharding.ddp": "With ddp every GPU keeps a whole copy of the weights ({w}), their gradients ({g}) and "
                         "AdamW's state ({o}); after the backward pass the {dp} ranks add up their gradients with "
                         "one all-reduce, so every copy takes the same step.",
    "many.sharding.zero1": "With zero1 the optimizer's state is split: each of the {dp} ranks keeps 1/{shard} of it "
                           "({o}), but whole weights ({w}) and gradients ({g}); it updates its share of the weights "
                           "and sends them to the others.",
    "many.sharding.zero2": "With zero2 the gradients are split too: each of the {dp} ranks keeps whole weights ({w}), "
                           "and 1/{shard} of the gradients ({g}) and of the optimizer's state ({o}).",
    "many.sharding.fsdp": "With fsdp (ZeRO-3) each of the {dp} ranks keeps only 1/{shard} of the weights ({w}), of "
                          "the gradients ({g}) and of the optimizer's state ({o}). Just before a layer runs, the GPUs "
                          "send each other their pieces of it (an all-gather) and hold the whole layer for a moment "
                          "({gathered} at a time); after its backward pass they add up its gradients and each keeps "
                          "the sum of its own piece (a reduce-scatter).",
    "many.sharding.hsdp": "With hsdp the state is split as fsdp splits it, but only among the {shard} GPUs of a node "
                          "({w} of weights, {g} of gradients, {o} of optimizer state per GPU); each node holds a "
                          "whole copy, and the nodes add up their gradients across the network once an iteration.",
    "many.over_link": "over the node's link ({name}, {bw} per GPU)",
    "many.over_network": "over the network ({name}, {bw} per GPU)",
    "many.comm_single": "One GPU sends nothing to another: the whole iteration is compute.",
    "many.comm": "Each GPU computes for {compute} per iteration and waits {comm} on the others, {share} of the "
                 "iteration ({step}):",
    "many.comm.tensor": "{t} on tensor parallelism's all-gathers and reduce-scatters of the activations, every layer "
                        "{over}",
    "many.comm.context": "{t} on ring attention's keys and values, not hidden by the attention {over}",
    "many.comm.pipeline": "{t} on the activations and gradients sent between pipeline stages {over}",
    "many.comm.data.ddp": "{t} on the gradient all-reduce (fp32 gradients, twice their size on the wire) {over}, "
                          "most of it hidden behind the last layers' backward pass",
    "many.comm.data.zero1": "{t} on the gradient reduce-scatter and the weight all-gather {over}",
    "many.comm.data.zero2": "{t} on the gradient reduce-scatters of every micro-step and the weight all-gather {over}",
    "many.comm.data.fsdp": "{t} on the weight all-gathers (the model's {size} in bf16, twice per micro-step: forward "
                           "and backward) and the gradient reduce-scatters {over}, after what prefetching the next "
                           "layer hides",
    "many.comm.data.hsdp": "{t} on the all-gathers and reduce-scatters inside the node, and the gradient all-reduce "
                           "between nodes {over}",
    "many.bubble_none": "There is no pipeline here (pipeline_parallel = 1), so no bubble: every GPU works the whole "
                        "iteration.",
    "many.bubble": "With {pp} pipeline stages the 1F1B schedule leaves GPUs idle while the pipe fills and drains: "
                   "({pp} − 1) / {v} micro-step times out of {micro} per rank, {t} per iteration ({share}). More "
                   "micro-steps per rank (gradient accumulation) or more virtual stages shrink it.",
    "many.recompute_none": "Nothing is recomputed: every activation the backward pass needs is kept ({act} per GPU), "
                           "so the GPU does exactly the model's arithmetic and the hardware FLOPs utilisation (HFU) "
                           "equals the MFU, {mfu}.",
    "many.recompute.selective": "Selective activation checkpointing keeps part of the activations ({act} per GPU) and "
                                "recomputes the rest during the backward pass. The recompute costs time but is not "
                                "the model's arithmetic, so MFU leaves it out: {mfu}; the hardware FLOPs "
                                "utilisation (HFU), which counts it, is {hfu}.",
    "many.recompute.full": "Full activation checkpointing keeps only each layer's input ({act} per GPU) and runs the "
                           "whole forward pass again during the backward pass. The recompute costs time but is not "
                           "the model's arithmetic, so MFU leaves it out: {mfu}; the hardware FLOPs utilisation "
                           "(HFU), which counts it, is {hfu}.",
    "many.bound": "The step is bound by {bound}.",
    "many.bound_communication": "The step is bound by {bound}: the GPUs wait on each other longer than they compute. "
                                "Fewer nodes, hsdp instead of fsdp, a faster network or more tokens per micro-step "
                                "would help.",
    # -- compare.across_nodes: the same run on 1 to 8 nodes --
    "nodes.nodes": "{nodes} × {per_node}",
    "nodes.speedup": "{speedup} ({efficiency} of linear)",
    "nodes.current": "your run",
    # -- web.py: the model picker and a pasted config.json --
    "config.read": "Read {what}: {fields}.",
    "config.nanogpt": "the nanoGPT config",
    "config.ignored": " Left out (not inputs here): {names}.",
    "error.config_nothing": "no input of the calculator in it (nanoGPT's names: n_layer = 12, batch_size = 16, ...)",
}
