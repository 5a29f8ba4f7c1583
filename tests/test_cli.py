"""python -m calculator: table by default, JSON with --json, nanoGPT-style flags, exit code 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import cli
from said import estimate


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
                                        (["--dtype=float4"], "dtype"), (["--mfu", "35"], "mfu"),
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


# -- the first things a newcomer types --

def test_help_renders_every_flag_and_exits_0():
    p = run("--help")
    assert p.returncode == 0, p.stderr
    parser = cli.build_parser()
    for action in parser._actions:
        for flag in action.option_strings:
            assert flag in p.stdout, flag
        if action.help and action.option_strings:
            # argparse %-formats each help string; a literal % in a schema text must come out as one %
            rendered = parser._get_formatter()._expand_help(action)
            assert "%%" not in rendered and "%(" not in rendered, rendered


def test_a_percent_in_a_help_text_is_escaped_where_argparse_sees_it():
    assert any("%" in f.help for f in cli.schema.FIELDS)  # the case that once crashed --help
    assert cli.help_text("fraction (0.35 = 35%)") % {} == "fraction (0.35 = 35%)"


def test_version_is_the_package_version():
    from calculator import __version__

    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"python -m calculator {__version__}"


def test_an_unknown_flag_exits_2_and_names_the_nearest():
    p = run("--n-layers=12")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "unrecognized arguments: --n-layers=12" in p.stderr and "did you mean --n-layer" in p.stderr


def test_log_from_stdin_equals_the_file():
    from said import analyze

    log = Path(__file__).parent / "logs" / "nanogpt.log"
    p = run("--log", "-", "--json", stdin=log.read_text(encoding="utf-8"))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == json.loads(json.dumps(analyze(log.read_text(encoding="utf-8"))))


def test_a_config_file_that_is_missing_or_broken_exits_2(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("batch_size = (\n")
    for path in (tmp_path / "missing.py", broken):
        p = run(str(path))
        assert p.returncode == 2 and p.stderr.startswith("error: config: cannot read") and "Traceback" not in p.stderr


def test_list_gpus_into_a_closed_pipe_is_not_an_error():
    p = subprocess.run(f"{sys.executable} -m calculator --list-gpus | head -1", shell=True, capture_output=True,
                       text=True, timeout=60)
    assert p.stdout.startswith("id") and "Traceback" not in p.stderr


def test_a_log_report_into_a_closed_pipe_is_not_an_error():
    log = Path(__file__).parent / "logs" / "mixed.log"
    p = subprocess.run(f"{sys.executable} -m calculator --log {log} | head -1", shell=True, capture_output=True,
                       text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert p.stdout.startswith("Log:") and p.stderr == "", p.stderr


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


# -- models: presets and a Hugging Face config.json --

CONFIGS = Path(__file__).parent / "configs"


def test_list_models_prints_every_preset_with_its_count():
    from calculator import presets

    p = run("--list-models")
    assert p.returncode == 0 and p.stderr == ""
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "params", "model_type"]
    for key, preset in presets.PRESETS.items():
        row = next(line for line in lines if line.startswith(key + " "))
        assert preset["name"] in row and f"{preset['params']:,}" in row and row.endswith(preset["config"]["model_type"])


def test_list_models_into_a_closed_pipe_is_not_an_error():
    p = subprocess.run(f"{sys.executable} -m calculator --list-models | head -1", shell=True, capture_output=True,
                       text=True, timeout=60)
    assert p.stdout.startswith("id") and "Traceback" not in p.stderr


def test_a_config_json_is_read_and_flags_override_it():
    from calculator import presets

    p = run(str(CONFIGS / "llama-3.1-8b.json"), "--num_gpus=8", "--gpu=h100-sxm", "--json")
    assert p.returncode == 0, p.stderr
    inputs = json.loads(p.stdout)["inputs"]
    assert {k: inputs[k] for k in presets.fields("llama-3.1-8b")} == presets.fields("llama-3.1-8b")
    assert inputs["num_gpus"] == 8 and inputs["block_size"] == 1024  # the run's length stays the reader's
    p = run(str(CONFIGS / "llama-3.1-8b.json"), "--n_layer=16", "--json")
    assert json.loads(p.stdout)["inputs"]["n_layer"] == 16


def test_a_preset_by_its_hugging_face_name():
    p = run("--model", "meta-llama/Llama-3.1-8B", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["inputs"]["n_kv_head"] == 8


def test_the_help_names_the_config_json_and_list_models():
    p = run("--help")
    assert "--list-models" in p.stdout and "config.json" in p.stdout
    es = run("--help", "--lang", "es")
    assert "--list-models" in es.stdout and "modelos predefinidos" in es.stdout
