"""The skrnn command line: reports, messages and exit codes."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skrnn._cli import main


@pytest.fixture
def csv(tmp_path):
    """A monthly series with a date column, a numeric and a text column."""
    n = 60
    t = np.arange(n)
    frame = pd.DataFrame(
        {
            "month": pd.date_range("2015-01-01", periods=n, freq="MS").strftime(
                "%Y-%m-%d"
            ),
            "sales": 100
            + t
            + 10 * np.sin(2 * np.pi * t / 12)
            + np.random.default_rng(0).normal(size=n),
            "region": ["north"] * n,
        }
    )
    path = tmp_path / "sales.csv"
    frame.to_csv(path, index=False)
    return path


def _run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_compare_writes_the_report_and_prints_the_summary(csv, tmp_path, capsys):
    out = tmp_path / "out.html"
    code, stdout, stderr = _run(
        capsys,
        "compare",
        csv,
        "--target",
        "sales",
        "--date-column",
        "month",
        "--seasonal-period",
        "12",
        "--models",
        "ar,naive,snaive",
        "--horizon",
        "6",
        "--out",
        out,
    )
    assert code == 0, stderr
    assert f"Report written to {out}" in stdout
    assert "| model | rank | MASE mean" in stdout
    for model in ["AR(aic)", "Naive", "Seasonal naive"]:
        assert f"| {model} |" in stdout
    page = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "2015-01-01" in page  # the dates became the time index


def test_quiet_prints_only_the_path(csv, tmp_path, capsys):
    out = tmp_path / "q.html"
    code, stdout, _ = _run(
        capsys,
        "compare",
        csv,
        "--target",
        "sales",
        "--models",
        "naive",
        "--quiet",
        "--horizon",
        "6",
        "--out",
        out,
    )
    assert code == 0
    assert stdout.splitlines() == [stdout.splitlines()[0]]
    assert stdout.startswith(f"Report written to {out}")
    assert out.exists()


def _bad_dates(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("day,y\n2020-01-01,1\nnot a date,2\n2020-01-03,3\n")
    return path


def _gappy_dates(tmp_path):
    path = tmp_path / "gaps.csv"
    days = ["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-06"]
    path.write_text("day,y\n" + "".join(f"{d},{i}\n" for i, d in enumerate(days)))
    return path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["compare", "{tmp}/missing.csv", "--target", "y"],
            "missing.csv: no such file",
        ),
        (
            ["compare", "{csv}", "--target", "revenue"],
            "--target 'revenue': no such column in sales.csv. Its columns are: "
            "month, sales, region.",
        ),
        (
            ["compare", "{csv}", "--target", "region"],
            "--target 'region' must hold numbers, but line 2 of sales.csv holds "
            "'north'.",
        ),
        (
            ["compare", "{csv}", "--target", "sales", "--date-column", "day"],
            "--date-column 'day': no such column",
        ),
        (
            ["compare", "{bad_dates}", "--target", "y", "--date-column", "day"],
            "line 3 of dates.csv holds 'not a date', which is not a date",
        ),
        (
            ["compare", "{gappy}", "--target", "y", "--date-column", "day"],
            "the dates are not evenly spaced",
        ),
        (
            [
                "compare",
                "{csv}",
                "--target",
                "sales",
                "--horizon",
                "24",
                "--models",
                "ar",
            ],
            "too short for 3 folds of horizon 24",
        ),
        (
            ["compare", "{csv}", "--target", "sales", "--models", "snaive"],
            "--models snaive needs the season length",
        ),
        (
            ["compare", "{csv}", "--target", "sales", "--out", "{tmp}/no/such/r.html"],
            "does not exist",
        ),
    ],
)
def test_bad_input_gives_one_line_and_exit_code_2(argv, message, csv, tmp_path, capsys):
    paths = {
        "csv": csv,
        "tmp": tmp_path,
        "bad_dates": _bad_dates(tmp_path),
        "gappy": _gappy_dates(tmp_path),
    }
    code, stdout, stderr = _run(capsys, *[arg.format(**paths) for arg in argv])
    assert code == 2
    assert message in stderr
    assert stderr.startswith("skrnn compare: error: ")
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr
    assert stdout == ""


def test_a_model_too_big_for_the_series_is_a_data_error(csv, capsys):
    # 60 points, 3 folds of 12: the first fold trains on 24 < 2 * 12 + 12 + 2.
    code, _, stderr = _run(
        capsys,
        "compare",
        csv,
        "--target",
        "sales",
        "--seasonal-period",
        "12",
        "--models",
        "lstm",
    )
    assert code == 2
    assert "Model 'LSTM' needs at least 38 training points" in stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "x.csv"], "the following arguments are required: --target"),
        (["compare", "x.csv", "--target", "y", "--models", "lstm,arima"], "--models"),
        (["compare", "x.csv", "--target", "y", "--horizon", "0"], "positive integer"),
        (["forecast"], "invalid choice"),
    ],
)
def test_usage_errors_exit_with_2(argv, message, capsys):
    code, _, stderr = _run(capsys, *argv)
    assert code == 2
    assert message in stderr


def test_an_unexpected_failure_exits_with_1_without_a_traceback(
    csv, monkeypatch, capsys
):
    import skrnn.comparison

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(skrnn.comparison, "compare", broken)
    code, _, stderr = _run(capsys, "compare", csv, "--target", "sales")
    assert code == 1
    assert (
        stderr.strip() == "skrnn compare: unexpected error: RuntimeError: disk on fire"
    )


def test_help_documents_the_commands_and_exit_codes(capsys):
    code, stdout, _ = _run(capsys, "compare", "--help")
    assert code == 0
    for text in [
        "--target",
        "--date-column",
        "--seasonal-period",
        "--n-splits",
        "--epochs",
        "--quiet",
        "examples:",
        "exit status:",
    ]:
        assert text in stdout


def test_python_dash_m_skrnn_help():
    result = subprocess.run(
        [sys.executable, "-m", "skrnn", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "usage: skrnn" in result.stdout
    assert "compare" in result.stdout
    assert "demo" in result.stdout
    assert "2  usage or data error" in result.stdout


def test_demo_quick_compares_rnns_with_ar_and_naive(tmp_path, capsys):
    out = tmp_path / "demo.html"
    code, stdout, stderr = _run(capsys, "demo", "--quick", "--out", out, "--quiet")
    assert code == 0, stderr
    assert stdout.startswith(f"Report written to {out}")
    page = out.read_text(encoding="utf-8")
    assert "log(passengers)" in page
    assert "<th>MASE mean</th>" in page
    assert "<th>RMSE mean</th>" in page
    for model in [
        "SimpleRNN",
        "LSTM",
        "GRU",
        "AR(aic)",
        "AR(1)",
        "Naive",
        "Seasonal naive",
    ]:
        assert f"{model}</td>" in page
    assert 'id="training"' in page
