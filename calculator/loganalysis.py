"""Check a running job from its log: the real speed, the real MFU on your GPU, and when it will finish.

    analyze(text, **inputs) -> dict

The log gives the time per iteration (logparse.py finds the steady state and says what it excluded and why; the
formats it reads are in logformats/); the inputs give the scenario (tokens and FLOPs per iteration, the GPU's peak,
max_iters, evals). The comparison with the model is estimate()'s reverse mode, so the page, the CLI and a claimed
ms/iter are judged the same way. The scenario's iteration is an optimizer step: a log that counts micro-steps is
compared per optimizer step (``steady_ms_per_step``).

The true MFU counts the FLOPs per token of one model (calculator.arch: 6 x the parameters in matmuls + 12 L H Q T of
full attention): the model the log states, where it prints its shape (torchtitan's ModelArgs, Megatron's argument
dump, litgpt's config, NeMo's experiment configuration, the Hugging Face config), checked against the schema's
ranges, else the scenario's (the form's model fields, a preset, a config). ``flops_model`` says which, as a fact.
For a nanoGPT log with nanoGPT's model nothing changes: arch's gpt2 count is nanoGPT's to the FLOP.

The run judged is the log's where it states it (``log_run``): its GPUs, tensor/pipeline/context parallel degrees,
sequence length and tokens per optimizer step replace the scenario's, as its model does, each only if the scenario
still validates with it; ``log_run`` (a fact) says which values came from the log, which of the reader's they
replaced, and which stated values were not used and why. A nanoGPT log states none of them: nothing changes.
"""

from __future__ import annotations

import math

from . import arch, logformats, nanogpt, schema
from .errors import InputError
from .estimate import compute
from .facts import fact, joined, qty
from .logformats._base import SHAPE_KEYS
from .logparse import parse_log, steady_state

MAX_SERIES_POINTS = 2000  # the per-iteration chart: enough for any screen, small enough for a 5 MB paste
MIN_MS, MAX_MS = 1e-6, 1e12  # the range schema.py allows for observed_ms_per_iter


def analyze(text: str, **inputs) -> dict:
    """The log's analysis: its numbers, and its message and terminal report as facts (calculator.facts);
    calculator.words.analysis(result, lang) writes them, with result["text"], in a language."""
    v = schema.validate(inputs)
    parsed = parse_log(text)
    steady = steady_state(parsed, warmup_iters=nanogpt.NANOGPT_MFU_PLACEHOLDER_ITERS)
    ms = steady["steady_ms_per_iter"]
    if ms is not None and not MIN_MS <= ms <= MAX_MS:  # parsed, but no real step takes that long or that little
        ms = None
    per_step = steady["steady_ms_per_step"] if ms is not None else None
    micro = parsed.micro_steps_per_step
    base = dict(inputs)
    model = flops_model(v, parsed.stated)
    if model["log_model"]:
        # the comparison with the model (its expected time, the verdict) is for the model the log trains; its
        # sequence length is the run's (below), not the model's maximum
        shaped = {**inputs, **{k: x for k, x in model["log_model"].items() if k != "block_size"}}
        try:
            schema.validate(shaped)
            base = shaped
        except InputError:
            pass  # the log's model does not fit the scenario's layout (a tensor_parallel that does not divide it)
    # the run the log states (its GPUs, parallel degrees, sequence length, tokens per step) replaces the scenario's,
    # as its model does: the figures below judge the log's run
    run = log_run(base, v, parsed.stated)
    v = run["inputs"]
    if run["used"]:
        model = flops_model(v, parsed.stated)  # the run's sequence length in the attention FLOPs
    out: dict = {
        "format": parsed.format,
        "why": parsed.why,
        "micro_steps_per_step": micro,
        "steady_ms_per_step": per_step,
        "iterations_seen": len(parsed.records),
        "total_lines": parsed.total_lines,
        "skipped_lines": parsed.skipped_lines,
        "evals_seen": len(parsed.evals),
        "excluded": _capped(steady["excluded"]),
        "excluded_counts": _counts(steady["excluded"]),
        "excluded_total": len(steady["excluded"]),
        "kept": steady["kept"],
        "steady_ms_per_iter": ms,
        "p10_ms": steady["p10_ms"],
        "p90_ms": steady["p90_ms"],
        "last_iteration": steady["last_iteration"],
        "max_iters_hint": parsed.max_iters_hint,
        "printed_mfu": _finite(steady["printed_mfu_median"]),
        "series": _series(parsed, steady),
        "runs": steady["runs"],  # several runs in one paste: each, and which is reported (the last)
        "run_count": steady["run_count"],
        "rank_copies": parsed.rank_copies,  # each step printed this many times (once per rank), counted once
        "stated": dict(parsed.stated),  # what the log states about the run (batch, length, GPUs, model size)
        "tokens_per_step_from_log": None,  # the tokens of an optimizer step, as the log states them
        "log_tokens_per_sec": None,  # those tokens at the log's speed
        "stated_params": parsed.stated.get("params"),
        "stated_gpus": parsed.stated.get("num_gpus"),
        "stated_mfu": None,  # the log's model's FLOPs (its shape, else 6 per stated parameter) at
        # log_tokens_per_sec, over the stated GPUs
        "stated_mfu_basis": None,  # a fact: which FLOPs per token stated_mfu counts
        "flops_source": model["source"],  # "log": the model the log states; "form": the scenario's
        "flops_per_token": model["flops_per_token"],  # training FLOPs per token of that model (calculator.arch)
        "flops_model": model["fact"],  # a fact: which model the FLOPs came from, and why
        "log_model": model["log_model"],  # the model's fields the FLOPs count, where the log states a shape (its
        # fields; the scenario's vocabulary and length where it states none), else None
        "log_run": run["fact"],  # a fact: which of the scenario's values the log's run replaced (None: none)
        "log_run_fields": run["used"],  # those values, under the schema's names
        "reported_run": next((r["run"] for r in steady["runs"] if r["reported"]), None),
        "earlier_runs": sum(1 for r in steady["runs"] if not r["reported"]),
    }
    if ms is None:
        est = compute(v)
        out.update(tokens_per_iter=est["tokens_per_iter"], tokens_per_sec=None, true_mfu=None,
                   true_mfu_from_printed=None, eta_seconds=None, verdict=None, estimate_ms_per_iter=est["ms_per_iter"],
                   message=_nothing_found(parsed))
        out["report"] = report(out, est)
        return out

    # the scenario's iteration is an optimizer step (batch_size x block_size x gradient_accumulation_steps tokens):
    # a log that counts micro-steps is compared per optimizer step
    if per_step is None or not MIN_MS <= per_step <= MAX_MS:
        per_step = ms
    out["steady_ms_per_step"] = per_step
    est = compute({**v, "observed_ms_per_iter": per_step, "reported_mfu": None})
    step_s = per_step / 1000
    out["tokens_per_iter"] = est["tokens_per_iter"]  # the judged run's (the log's where it states them)
    out["tokens_per_sec"] = est["tokens_per_iter"] / step_s
    _use_stated(out, est, step_s, model)
    # estimate() counts the scenario's model; the ratio keeps its tokens per GPU and its peak (and, for nanoGPT's
    # model, its figure to the last bit: the ratio is exactly 1)
    ratio = model["flops_per_token"] / est["flops_per_token"] if est["flops_per_token"] else math.nan
    true = est["mfu"] * ratio
    out["true_mfu"] = true if math.isfinite(true) else None
    out["estimate_ms_per_iter"] = est["model_ms_per_iter"]
    # nanoGPT's printed mfu is against an A100's 312 TFLOPS; llm.c and others print against their own peak.
    if parsed.format == "nanogpt" and steady["printed_mfu_median"] is not None:
        true = steady["printed_mfu_median"] / 100 * nanogpt.NANOGPT_PROMISED_FLOPS / (est["peak_tflops"] * 1e12)
        out["true_mfu_from_printed"] = true if math.isfinite(true) else None
    else:
        out["true_mfu_from_printed"] = None
    out.update(_eta(v, est, steady["last_step"], len(parsed.records), step_s))
    out["verdict"] = est["feasibility"]["verdict"]
    out["message"] = est["feasibility"]["message"]
    out["report"] = report(out, est)
    return out


def _nothing_found(parsed) -> dict:
    """No steady time: say why, and when no time per step was found at all, list the formats read with an example
    line of each (the example lines as trainers print them)."""
    if parsed.records:
        n = len(parsed.records)
        return fact("log.all_excluded_one" if n == 1 else "log.all_excluded", n=n)
    formats = fact("log.known_formats", formats=joined(
        [fact("log.known_format", title=fact(f"logformat.{f.name}.title"), example=f.example)
         for f in logformats.FORMATS], "\n"))
    if parsed.why:
        return fact("log.read_as_then", format=parsed.format, why=parsed.why, then=formats)
    return formats


STATED_FLOPS_PER_PARAM_TOKEN = 6  # forward + backward of a dense transformer: 2 + 4 FLOPs per parameter and token
# (Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1); attention's own FLOPs left out


MODEL_FIELDS = SHAPE_KEYS  # the schema's fields that make the model (what a log can state of it)
CORE = ("n_layer", "n_head", "n_embd")  # without these three a log states no shape


def describe(a: arch.Arch) -> dict:
    """A model in a few words (a fact): its type, layers, width, heads, MLP width, vocabulary and parameters."""
    return fact("log.arch", model_type=a.model_type, n_layer=qty("exact", a.n_layer), n_embd=qty("exact", a.n_embd),
                n_head=qty("exact", a.n_head), n_kv_head=qty("exact", a.kv_heads), ffn=qty("exact", a.ffn),
                vocab=qty("exact", a.vocab_size), block=qty("exact", a.block_size),
                params=qty("count", arch.params(a)["total"]))


def flops_model(v: dict, stated: dict) -> dict:
    """The model whose FLOPs the true MFU counts: the log's, where it states its shape (the log wins over the form's
    model fields: it is the run), else the scenario's (v, validated inputs). A field the log does not state is the
    model type's default (key/value heads, MLP width, tied embeddings), except the vocabulary and the sequence
    length, which are v's (the sequence length is the log's run's where log_run put it in v). A shape the schema
    refuses (a hostile or cut number) is not used, and the fact says why. Returns {"source", "arch",
    "flops_per_token", "fact", "log_model"}."""
    form = arch.from_inputs(v)
    shape = {k: stated[k] for k in MODEL_FIELDS if k in stated}
    rejected = None
    if all(k in shape for k in CORE):
        model_type = shape.get("model_type", v["model_type"])
        # every model field, so that none of the form's (or its preset's) is left mixed with the log's
        given = {"model_type": model_type, "vocab_size": v["vocab_size"], "block_size": v["block_size"],
                 "n_kv_head": None, "intermediate_size": None, "tie_word_embeddings": None,
                 "bias": v["bias"] if model_type == v["model_type"] == "gpt2" else False,
                 **{k: shape[k] for k in MODEL_FIELDS if k in shape}}
        try:
            checked = schema.validate(given)
        except InputError as e:
            rejected = fact("log.shape_rejected", field=e.field, error=e.fact)
        else:
            a = arch.from_inputs(checked)
            f = arch.flops_per_token(a)
            return {"source": "log", "arch": a, "flops_per_token": f, "log_model": {k: checked[k] for k in given},
                    "fact": fact("log.flops_log", model=describe(a), flops=qty("flops", f))}
    f = arch.flops_per_token(form)
    said = fact("log.flops_form", model=describe(form), flops=qty("flops", f))
    return {"source": "form", "arch": form, "flops_per_token": f, "log_model": None,
            "fact": fact("log.flops_rejected", rejected=rejected, then=said) if rejected else said}


RUN_DEGREES = (("tensor_parallel", "log.run_tp"), ("pipeline_parallel", "log.run_pp"),
               ("context_parallel", "log.run_cp"))


def _whole(x) -> int | None:
    """A stated count as a whole number (a float the parser kept: 8.0 -> 8); None when it is not one."""
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or x < 1 or x != int(x):
        return None
    return int(x)


def _tokens_group(stated: dict, block: int, micro: int | None) -> tuple[dict | None, dict | None]:
    """The log's tokens per optimizer step as the schema's batch: sequences of `block` tokens, `micro` of them per
    micro-step of one data-parallel rank (1 where the log states no micro-batch), gradient_accumulation_steps the
    micro-steps over all data-parallel ranks (nanoGPT's count). Returns (fields, None) or (None, why not)."""
    st_tokens = stated.get("tokens_per_step")
    if st_tokens is None and stated.get("global_batch") and stated.get("seq_len"):
        st_tokens = stated["global_batch"] * stated["seq_len"]
    tokens = _whole(st_tokens)
    if st_tokens is None:
        return None, None
    if tokens is None or tokens % block:
        return None, fact("log.run_not_whole", tokens=_count(st_tokens), block=qty("exact", block))
    sequences = tokens // block
    b = micro or 1
    if sequences % b:
        return None, fact("log.run_micro_divides", micro=qty("exact", b), sequences=qty("exact", sequences))
    return {"batch_size": b, "gradient_accumulation_steps": sequences // b}, None


def _count(x: float) -> dict:
    """A stated count as it reads best: whole (1,048,740) where it is one or large, else as printed (4093.2)."""
    return qty("exact", round(x)) if x == int(x) or x >= 1e4 else qty("number", x)


def _item(key: str, fields: dict) -> dict:
    """One value of a run in words: GPUs, a parallel degree, the sequence length or the tokens per step."""
    if key == "num_gpus":
        n = fields["num_gpus"]
        return fact("log.run_gpus_one" if n == 1 else "log.run_gpus", n=qty("exact", n))
    if key == "block_size":
        return fact("log.run_seq", n=qty("exact", fields["block_size"]))
    if key == "batch":
        b, g, t = fields["batch_size"], fields["gradient_accumulation_steps"], fields["block_size"]
        return fact("log.run_tokens", tokens=qty("exact", b * g * t), batch=qty("exact", b), gas=qty("exact", g),
                    block=qty("exact", t))
    return fact(dict(RUN_DEGREES)[key], n=qty("exact", fields[key]))


def log_run(base: dict, form: dict, stated: dict) -> dict:
    """The run the log states, in the scenario's place where it states it: num_gpus, tensor/pipeline/context
    parallel degrees, block_size (its sequence length) and its tokens per optimizer step (as batch_size x
    gradient_accumulation_steps x block_size: the log's micro-batch where it states one, else 1 sequence per
    micro-step). The log wins over the reader's values, as for the model: it is the run. Each value is used only if
    the scenario with it validates (schema.validate); one that does not is left out, the form's kept, and a fact
    says why. `base`: the raw inputs (with the log's model fields where it states a usable shape); `form`: the
    validated scenario, to say what was replaced. Returns {"inputs" (validated), "used", "rejected", "fact"}."""
    groups: dict[str, dict] = {}  # name -> the schema's fields it sets, in the order they are tried
    gpus = _whole(stated.get("num_gpus"))
    if gpus is not None:
        groups["num_gpus"] = {"num_gpus": gpus}
    for key, _ in RUN_DEGREES:
        d = _whole(stated.get(key))
        if d is not None:
            groups[key] = {key: d}
    seq = _whole(stated.get("seq_len"))
    if seq is not None:
        groups["block_size"] = {"block_size": seq}
    micro = _whole(stated.get("batch_size"))
    rejected: list[dict] = []

    def batch(block: int) -> None:
        fields, why = _tokens_group(stated, block, micro)
        if fields is None and why is not None and micro not in (None, 1):
            rejected.append(why)
            fields, why = _tokens_group(stated, block, None)
        groups.pop("batch", None)
        if fields is not None:
            groups["batch"] = fields
        elif why is not None:
            rejected.append(why)

    batch(_block(groups, form))
    while True:
        merged = {k: x for g in groups.values() for k, x in g.items()}
        try:
            checked = schema.validate({**base, **merged})
            break
        except InputError as e:
            name = next((n for n, g in groups.items() if e.field in g), None) or _blame(base, groups, e)
            sample = {**form, **merged}
            rejected.append(fact("log.run_rejected", item=_item(name, sample), field=e.field, error=e.fact))
            del groups[name]
            if name == "block_size" and "batch" in groups:
                batch(form["block_size"])
            elif name == "batch" and micro not in (None, 1):
                micro = None
                batch(_block(groups, form))
    used = {k: x for g in groups.values() for k, x in g.items()}
    items = []
    for name in groups:
        item = _item(name, checked)
        if any(form[k] != checked[k] for k in (groups[name] if name != "batch" else
                                               ("batch_size", "gradient_accumulation_steps", "block_size"))):
            item = fact("log.run_instead", item=item, was=_item(name, form))
        items.append(item)
    said = fact("log.run_used", items=joined(items, "; ")) if items else None
    if rejected:
        said = fact("log.run_parts", parts=joined(([said] if said else []) + rejected, "; "))
    return {"inputs": checked, "used": used, "rejected": rejected, "fact": said}


def _blame(base: dict, groups: dict, e: InputError) -> str:
    """The log's value to leave out when the error names a field the log did not give (the reader's num_gpus that
    the log's pipeline_parallel does not divide): the last whose absence removes that error."""
    for name in reversed(groups):
        rest = {k: x for n, g in groups.items() if n != name for k, x in g.items()}
        try:
            schema.validate({**base, **rest})
            return name
        except InputError as other:
            if (other.field, other.fact) != (e.field, e.fact):
                return name
    return next(reversed(groups))


def _block(groups: dict, form: dict) -> int:
    """The sequence length the run will have: the log's where it is kept, else the scenario's."""
    return groups["block_size"]["block_size"] if "block_size" in groups else form["block_size"]


def _use_stated(out: dict, est: dict, step_s: float, model: dict) -> None:
    """Where the log states its tokens per optimizer step (or its global batch and sequence length), the log's own
    tokens per second beside the scenario's; where it also states its GPUs and its model (its shape, or its size:
    6 FLOPs per parameter and token), an MFU from those against the chosen GPU's peak. Where log_run put those
    tokens and GPUs in the scenario, this is the true MFU again (a check); where it could not, the two differ."""
    st = out["stated"]
    tokens = st.get("tokens_per_step")
    if tokens is None and st.get("global_batch") and st.get("seq_len"):
        tokens = st["global_batch"] * st["seq_len"]
    if not tokens:
        return
    out["tokens_per_step_from_log"] = tokens
    out["log_tokens_per_sec"] = tokens / step_s
    params, gpus = st.get("params"), st.get("num_gpus")
    if not gpus:
        return
    if model["source"] == "log":
        per_token = model["flops_per_token"]
        basis = fact("log.stated_basis_shape", flops=qty("flops", per_token))
    elif params:
        per_token = STATED_FLOPS_PER_PARAM_TOKEN * params
        basis = fact("log.stated_basis_params", params=qty("exact", round(params)))
    else:
        return
    mfu = per_token * out["log_tokens_per_sec"] / (gpus * est["peak_tflops"] * 1e12)
    if math.isfinite(mfu):
        out["stated_mfu"], out["stated_mfu_basis"] = mfu, basis


def _finite(x):
    return x if x is None or math.isfinite(x) else None


def _eta(v: dict, est: dict, last: int | None, count: int, step_s: float) -> dict:
    """From the last iteration seen to max_iters: the remaining steps and the evaluations still to come, at the
    observed speed (nanoGPT runs iterations 0..max_iters and evaluates when iter_num % eval_interval == 0)."""
    done = last if last is not None else count - 1
    done = max(0, min(done, v["max_iters"]))
    remaining_steps = v["max_iters"] - done
    ei = v["eval_interval"]
    remaining_evals = v["max_iters"] // ei - done // ei
    eval_each = est["eval_each_seconds"]  # already scaled to the observed speed by estimate()'s reverse mode
    ckpt = remaining_evals * v["checkpoint_seconds"]
    eta = remaining_steps * step_s + remaining_evals * eval_each + ckpt
    return {"eta_seconds": eta, "remaining_steps": remaining_steps, "remaining_evals": remaining_evals,
            "eta_from_iteration": done}


MAX_EXCLUDED_PER_REASON = 50  # a 10^6-line log can exclude 10^5 iterations: list the first few, count them all


def _capped(excluded: list[dict]) -> list[dict]:
    out, seen = [], {}
    for e in excluded:
        n = seen.get(e["reason"], 0)
        seen[e["reason"]] = n + 1
        if n < MAX_EXCLUDED_PER_REASON:
            out.append({"iteration": e["iteration"], "line_no": e["line_no"], "ms": e["ms"], "reason": e["reason"]})
    return out


def _counts(excluded: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for e in excluded:
        counts[e["reason"]] = counts.get(e["reason"], 0) + 1
    return counts


def _series(parsed, steady) -> list[dict]:
    """Per-iteration times for the chart, each with the reason it was excluded (None when kept)."""
    reasons = {e["line_no"]: e["reason"] for e in steady["excluded"]}
    recs = parsed.records
    step = max(1, -(-len(recs) // MAX_SERIES_POINTS))
    pts = []
    for i, r in enumerate(recs):
        reason = reasons.get(r.line_no)
        if i % step and reason is None:  # thin out kept points; never drop an excluded one
            continue
        pts.append({"iteration": r.iteration if r.iteration is not None else i, "ms": r.ms, "excluded": reason})
    return pts[: MAX_SERIES_POINTS * 2]


def run_fact(out: dict, reported: bool) -> list[dict]:
    """The runs of a paste (the reported one, or the earlier ones with their steady speed) as facts."""
    facts = []
    for r in out.get("runs") or []:
        if r["reported"] != reported:
            continue
        run = fact("log.run", k=r["run"], first=qty("exact", r["first_line"]), last=qty("exact", r["last_line"]))
        if not reported:
            ms = r["steady_ms_per_iter"]
            run = fact("log.run_steady", run=run, ms=qty("ms_per_iter", ms) if ms else fact("fmt.n_a"))
        facts.append(run)
    return facts


def report(out: dict, est: dict) -> list[dict]:
    """The terminal version (python -m calculator --log FILE): its lines as facts."""
    def t(key: str, **kw) -> dict:
        return fact(f"log.report.{key}", **kw)

    lines = [t("head", format=out["format"], seen=out["iterations_seen"], skipped=out["skipped_lines"],
               excluded=out["excluded_total"])]
    if out.get("why"):
        lines.append(t("read_as", why=out["why"]))
    by_reason: dict[str, list] = {}
    for e in out["excluded"]:
        by_reason.setdefault(e["reason"], []).append(e["iteration"] if e["iteration"] is not None
                                                     else t("line", n=e["line_no"]))
    if out.get("earlier_runs"):
        lines.append(t("runs", n=qty("exact", out["run_count"]), run=run_fact(out, reported=True)[0]))
        lines.append(t("other_runs", runs=joined(run_fact(out, reported=False), "; ")))
    if (out.get("rank_copies") or 1) > 1:
        lines.append(t("rank_copies", n=out["rank_copies"]))
    for reason, its in by_reason.items():
        n = out["excluded_counts"][reason]
        shown = joined(its[:8]) if n <= 8 else fact("log.report.more", shown=joined(its[:8]))
        lines.append(t("excluded", n=n, shown=shown, reason=fact(f"reason.{reason}")))
    if out.get("log_run"):
        lines.append(t("run" if out["log_run_fields"] else "run_unused", run=out["log_run"]))
    if out["steady_ms_per_iter"] is None:
        lines.append(out["message"])
        return lines
    spread = (fact("log.spread", low=qty("ms_per_iter", out["p10_ms"]), high=qty("ms_per_iter", out["p90_ms"]))
              if out["p10_ms"] is not None else fact("fmt.n_a"))
    rate = qty("rate", out["tokens_per_sec"]) if out["tokens_per_sec"] else fact("fmt.n_a")
    lines.append(t("steady", ms=qty("ms_per_iter", out["steady_ms_per_iter"]), kept=out["kept"], spread=spread,
                   rate=rate))
    if out.get("micro_steps_per_step"):
        lines.append(t("micro", micro=qty("number", float(f"{out['micro_steps_per_step']:.3g}")),
                       step=qty("ms_per_iter", out["steady_ms_per_step"])))
    if out.get("tokens_per_step_from_log"):
        lines.append(t("stated_tokens", tokens=qty("exact", round(out["tokens_per_step_from_log"])),
                       rate=qty("rate", out["log_tokens_per_sec"])))
    lines.append(t("true_mfu", gpu=est["gpu"]["name"],
                   mfu=qty("percent", out["true_mfu"]) if out["true_mfu"] is not None else fact("fmt.n_a"),
                   peak=qty("tflops", est["peak_tflops"])))
    lines.append(t("flops", model=out["flops_model"]))
    if out.get("stated_mfu") is not None:
        lines.append(t("stated_mfu", basis=out["stated_mfu_basis"], gpus=qty("exact", round(out["stated_gpus"])),
                       gpu=est["gpu"]["name"], mfu=qty("percent", out["stated_mfu"])))
    if out["true_mfu_from_printed"] is not None:
        lines.append(t("printed", printed=qty("percent_fixed", out["printed_mfu"]),
                       true=qty("percent", out["true_mfu_from_printed"])))
    lines.append(t("eta", eta=qty("duration", out["eta_seconds"]), start=out["eta_from_iteration"],
                   max_iters=est["inputs"]["max_iters"], steps=out["remaining_steps"], evals=out["remaining_evals"]))
    lines.append(out["message"])
    return lines
