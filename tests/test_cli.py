"""python -m calculator: table by default, JSON with --json, nanoGPT-style flags, exit code 2 on bad input."""

import json
import subprocess
import sys

import pytest

from calculator import cli, estimate


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True,
                          input=stdin, timeout=60)


def test_table_by_default():
    p = run()
    assert p.returncode == 0, p.stderr
    r = estimate()
    for key in ("ms_per_iter", "total_seconds", "mfu", "first_iter_logged_seconds", "memory_verdict"):
        assert r["text"][key] in p.stdout
    assert "312" in p.stdout  # the nanoGPT MFU denominator is explained


def test_json_equals_estimate_and_both_flag_forms_work():
    a = run("--batch_size=32", "--n-layer", "12", "--compile=False", "--gpu", "RTX 4090", "--json")
    assert a.returncode == 0, a.stderr
    got = json.loads(a.stdout)
    assert got == json.loads(json.dumps(estimate(batch_size=32, n_layer=12, compile=False, gpu="rtx-4090")))
    assert got["inputs"]["gpu"] == "rtx-4090"


def test_bare_boolean_flag_means_true():
    got = json.loads(run("--bias", "--json").stdout)
    assert got["inputs"]["bias"] is True


@pytest.mark.parametrize("args,field", [(["--batch_size=0"], "batch_size"), (["--gpu", "rtx-4700"], "gpu"),
                                        (["--dtype=float8"], "dtype"), (["--mfu", "35"], "mfu"),
                                        (["--n_embd=500"], "n_head")])
def test_bad_input_exits_2_with_the_field_and_no_traceback(args, field):
    p = run(*args)
    assert p.returncode == 2
    assert p.stderr.startswith(f"error: {field}:")
    assert "Traceback" not in p.stderr


def test_reverse_mode_flags():
    p = run("--observed-ms-per-iter", "100", "--json")
    got = json.loads(p.stdout)
    assert got["feasibility"]["verdict"] == "impossible" and got["mfu"] > 1
    p = run("--reported-mfu", "8.5")
    assert p.returncode == 0 and "312" in p.stdout


def test_nanogpt_config_file_is_read_not_executed(tmp_path):
    cfg = tmp_path / "train_gpt2.py"
    cfg.write_text("import os\nwandb_log = True\nbatch_size = 12\nblock_size = 1024\n"
                   "gradient_accumulation_steps = 5 * 8\nn_layer = 12\nout_dir = os.getcwd()\n")
    found, ignored = cli.read_config_file(str(cfg))
    assert found == {"batch_size": 12, "block_size": 1024, "n_layer": 12, "gradient_accumulation_steps": 40}
    assert "wandb_log" in ignored and "out_dir" in ignored  # os.getcwd() is never called
    p = run(str(cfg), "--json")
    assert json.loads(p.stdout)["inputs"]["batch_size"] == 12


def test_list_gpus():
    p = run("--list-gpus")
    assert p.returncode == 0 and "rtx-4070" in p.stdout and "h100-sxm" in p.stdout


@pytest.mark.parametrize("args,field", [
    (["--mfu", "9" * 400], "mfu"), (["--custom_tflops=1e309"], "custom_tflops"), (["--n_layer=NaN"], "n_layer"),
    (["--checkpoint_seconds=5e-324"], "checkpoint_seconds"), (["--n_layer=١٢"], "n_layer"),
    (["--max_iters=" + "9" * 5000], "max_iters"), (["--mfu=1e-300"], "mfu"),  # valid, but its result overflows
])
def test_hostile_numbers_exit_2_with_one_line_naming_the_field(args, field):
    p = run(*args)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(f"error: {field}:") and p.stderr.count("\n") == 1, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""


def test_argparse_errors_are_one_line_too():
    for args in (["--bogus"], ["--mfu"], ["--mfu", "-inf"]):
        p = run(*args)
        assert p.returncode == 2 and p.stderr.startswith("error: ") and p.stderr.count("\n") == 1, p.stderr


@pytest.mark.parametrize("source,field", [
    ("mfu = " + "9" * 400, "mfu"), ("n_layer = 1e309", "n_layer"), ("n_layer = {[1]}\nbatch_size = 0", "batch_size"),
    ("n_layer = " + "9" * 5000, "config"), ("n_layer = " + "(" * 300 + "1" + ")" * 300, "config"),
    ("n_layer = '\\x00'", "n_layer"), ("custom_tflops = 1e15 / 1e-300", "custom_tflops"),
])
def test_hostile_config_file_values_exit_2_with_one_line(tmp_path, source, field):
    cfg = tmp_path / "train_hostile.py"
    cfg.write_text(source + "\n")
    p = run(str(cfg))
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(f"error: {field}:") and p.stderr.count("\n") == 1, p.stderr
    assert "Traceback" not in p.stderr


def test_a_binary_config_file_is_named(tmp_path):
    cfg = tmp_path / "train.bin"
    cfg.write_bytes(bytes(range(256)) * 4)
    p = run(str(cfg))
    assert p.returncode == 2 and p.stderr.startswith("error: config:") and p.stderr.count("\n") == 1, p.stderr
