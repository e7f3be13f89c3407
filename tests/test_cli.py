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
            "2 time points are missing (first: 2020-01-03) between 2020-01-01 "
            "and 2020-01-06 at frequency D. Fill them with --fill interpolate",
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
            "--models snaive needs a season of 2 or more time points",
        ),
        (
            [
                "compare",
                "{csv}",
                "--target",
                "sales",
                "--models",
                "snaive",
                "--seasonal-period",
                "1",
            ],
            "with no season, the naive model is 'naive'",
        ),
        (
            ["compare", "{csv}", "--target", "sales", "--out", "{tmp}/no/such/r.html"],
            "does not exist",
        ),
        (
            # it wrote an HTML page into report.md
            ["compare", "{csv}", "--target", "sales", "--out", "{tmp}/report.md"],
            "give a name ending in .html (e.g. report.html)",
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


def test_a_season_of_one_leaves_seasonal_naive_out_of_the_defaults():
    # It crashed with KeyError: 'Seasonal naive'.
    from skrnn._cli import _models

    assert "Seasonal naive" not in _models(None, 1, None, True)
    assert "Seasonal naive" in _models(None, 12, None, True)


def test_a_model_too_big_for_the_series_is_a_data_error(csv, capsys):
    # 60 points, 3 folds of 19: the first fold trains on 3 < a window of 2
    # (the least the "auto" window can be) + 2.
    code, _, stderr = _run(
        capsys,
        "compare",
        csv,
        "--target",
        "sales",
        "--horizon",
        "19",
        "--models",
        "lstm",
    )
    assert code == 2
    assert "Model 'LSTM' needs at least 4 training points" in stderr


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


# -- reading the CSV file as a user has it -------------------------------------


def _strip_timings(markdown):
    """The summary table without its "fit s" column (timings vary per run)."""
    rows = [line.split("|") for line in markdown.splitlines()]
    column = [cell.strip() for cell in rows[0]].index("fit s")
    return ["|".join(row[:column] + row[column + 1 :]) for row in rows]


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_rows_in_any_order_give_the_report_of_the_sorted_file(
    order, csv, tmp_path, capsys
):
    frame = pd.read_csv(csv)
    if order == "reversed":
        scrambled = frame.iloc[::-1]
    else:
        scrambled = frame.sample(frac=1, random_state=0)
    path = tmp_path / "scrambled.csv"
    scrambled.to_csv(path, index=False)
    argv = ["--target", "sales", "--date-column", "month", "--seasonal-period", "12"]
    argv += ["--models", "ar,naive,snaive", "--horizon", "6"]
    outputs = []
    for source, out in [(csv, "sorted.html"), (path, "scrambled.html")]:
        code, stdout, stderr = _run(
            capsys, "compare", source, *argv, "--out", tmp_path / out
        )
        assert code == 0, stderr
        outputs.append(stdout.split("\n\n", 1)[1])  # headline and table
    assert outputs[0].splitlines()[0] == outputs[1].splitlines()[0]  # headline
    assert _strip_timings(outputs[0].split("\n\n")[1]) == _strip_timings(
        outputs[1].split("\n\n")[1]
    )
    from skrnn._cli import _read_series

    pd.testing.assert_series_equal(
        _read_series(path, "sales", "month"), _read_series(csv, "sales", "month")
    )
    page = (tmp_path / "scrambled.html").read_text(encoding="utf-8")
    assert "rows sorted by month (the file was not in order)" in page


def test_integer_years_become_a_yearly_period_index(tmp_path, capsys):
    years = np.arange(1871, 1931)
    noise = np.random.default_rng(0).normal(size=len(years))
    values = 1000 + 50 * np.sin(years / 3.0) + 10 * noise
    path = tmp_path / "nile.csv"
    pd.DataFrame({"year": years[::-1], "flow": values[::-1]}).to_csv(path, index=False)
    from skrnn._cli import _read_series

    y = _read_series(path, "flow", "year")
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.freqstr.startswith("Y")
    assert y.index[0] == pd.Period("1871", "Y")
    np.testing.assert_array_equal(y.to_numpy(), values)
    # Integer-like strings and floats (an empty cell elsewhere) are years too.
    for column in [years.astype(str), years.astype(float)]:
        pd.DataFrame({"year": column, "flow": values}).to_csv(path, index=False)
        pd.testing.assert_index_equal(_read_series(path, "flow", "year").index, y.index)
    out = tmp_path / "nile.html"
    code, _, stderr = _run(
        capsys, "compare", path, "--target", "flow", "--date-column", "year",
        "--models", "ar,naive", "--horizon", "5", "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    page = out.read_text(encoding="utf-8")
    assert "60 time points (1871 to 1930)" in page
    assert "1970" not in page


@pytest.mark.parametrize(
    ("dates", "options", "first", "freq"),
    [
        (
            [f"{m} 1950" for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]],
            [],
            pd.Timestamp("1950-01-01"),
            "MS",
        ),
        (
            ["1959Q1", "1959Q2", "1959Q3", "1959Q4", "1960Q1", "1960Q2"],
            [],
            pd.Period("1959Q1", "Q"),
            "Q-DEC",
        ),
        (
            ["1959-Q1", "1959-Q2", "1959-Q3", "1959-Q4", "1960-Q1", "1960-Q2"],
            [],
            pd.Period("1959Q1", "Q"),
            "Q-DEC",
        ),
        (
            [f"{d:02d}/02/1950" for d in range(1, 7)],
            ["%d/%m/%Y"],
            pd.Timestamp("1950-02-01"),
            "D",
        ),
        # Day-first without a format: 13..18 cannot be months, so no ambiguity.
        (
            [f"{d}/02/1950" for d in range(13, 19)],
            [],
            pd.Timestamp("1950-02-13"),
            "D",
        ),
        (
            [f"2020-01-{d:02d}" for d in range(1, 7)],
            [],
            pd.Timestamp("2020-01-01"),
            "D",
        ),
        (
            [f"202001{d:02d}" for d in range(1, 7)],
            [],
            pd.Timestamp("2020-01-01"),
            "D",
        ),
    ],
)
def test_common_date_formats_parse_without_a_warning(
    dates, options, first, freq, tmp_path
):
    import warnings

    from skrnn._cli import _read_series

    path = tmp_path / "d.csv"
    pd.DataFrame({"when": dates, "y": np.arange(6.0)}).to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a pandas warning would reach the console
        y = _read_series(path, "y", "when", *options)
    assert y.index[0] == first
    assert y.index.freqstr == freq
    np.testing.assert_array_equal(y.to_numpy(), np.arange(6.0))


def test_date_format_option_reads_day_first_dates(tmp_path, capsys):
    # First of each month, day-first: month-first they would be 1..12 January.
    months = pd.date_range("2020-01-01", periods=36, freq="MS")
    path = tmp_path / "dayfirst.csv"
    pd.DataFrame(
        {"day": months.strftime("%d/%m/%Y"), "y": np.sin(np.arange(36.0))}
    ).to_csv(path, index=False)
    argv = ["compare", path, "--target", "y", "--date-column", "day"]
    code, _, stderr = _run(
        capsys, *argv, "--models", "naive", "--horizon", "3",
        "--out", tmp_path / "no.html",
    )  # fmt: skip
    assert code == 2
    assert "ambiguous date" in stderr
    assert "--date-format '%d/%m/%Y' or --date-format '%m/%d/%Y'" in stderr
    out = tmp_path / "d.html"
    code, _, stderr = _run(
        capsys, *argv, "--date-format", "%d/%m/%Y", "--models", "naive",
        "--horizon", "3", "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    assert "36 time points (2020-01-01 to 2022-12-01)" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("fill", "expected"),
    [("interpolate", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), ("ffill", [1, 2, 2, 2, 5, 6])],
)
def test_fill_fills_empty_values_and_missing_dates(fill, expected, tmp_path):
    from skrnn._cli import _read_with_notes

    path = tmp_path / "gappy.csv"
    # 2020-01-03 has an empty value, 2020-01-04 has no row at all.
    path.write_text(
        "day,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,\n2020-01-05,5\n2020-01-06,6\n"
    )
    y, notes = _read_with_notes(path, "y", "day", None, fill)
    np.testing.assert_allclose(y.to_numpy(), expected)
    assert y.index.freqstr == "D"
    assert len(y) == 6
    assert notes == [
        f"1 missing time points added ({fill})",
        f"1 empty values of y filled ({fill})",
    ]


def test_empty_cells_before_the_first_and_after_the_last_value_are_left_out(
    tmp_path,
):
    # As for a panel's series: the series runs from its first value to its
    # last. Filled, the trailing cells would have been scored as data.
    from skrnn._cli import UsageError, _read_with_notes

    path = tmp_path / "ends.csv"
    path.write_text(
        "day,y\n2020-01-06,\n2020-01-01,\n2020-01-02,2\n2020-01-03,\n"
        "2020-01-04,4\n2020-01-05,\n"
    )
    y, notes = _read_with_notes(path, "y", "day", None, "ffill")
    np.testing.assert_array_equal(y.to_numpy(), [2.0, 2.0, 4.0])
    assert y.index[0] == pd.Timestamp("2020-01-02")
    assert notes[1] == (
        "3 rows with an empty y before its first value or after its last left out"
    )
    with pytest.raises(UsageError, match=r"1 empty values \(first on line 5 of"):
        _read_with_notes(path, "y", "day", None, None)


@pytest.mark.parametrize(
    ("text", "date_format", "first", "freq"),
    [
        # Day-first with a time of day, with its format or without one where
        # 13..18 cannot be months.
        (
            "d,y\n" + "".join(f"0{d}/01/2016 13:30,{i}\n" for i, d in
                              enumerate(range(1, 7))),
            ["%d/%m/%Y %H:%M"],
            pd.Timestamp("2016-01-01 13:30"),
            "D",
        ),
        (
            "d,y\n" + "".join(f"{d}/01/2016 06:00,{i}\n" for i, d in
                              enumerate(range(13, 19))),
            [],
            pd.Timestamp("2016-01-13 06:00"),
            "D",
        ),
        # Year.month read as text: 2016.10 is October, not 2016.1.
        (
            "d,y\n" + "".join(f"2016.{m:02d},{m}\n" for m in range(7, 13)),
            [],
            pd.Timestamp("2016-07-01"),
            "MS",
        ),
        # Year.month after a comma and a space in the header: 2016.10 was
        # read as the number 2016.1, January.
        (
            "y, d\n" + "".join(f"{m}, 2016.{m:02d}\n" for m in range(7, 13)),
            [],
            pd.Timestamp("2016-07-01"),
            "MS",
        ),
        # A comma at the end of every line, and spaces around the names.
        (
            " d , y ,\n" + "".join(f"2020-01-0{i},{i},\n" for i in range(1, 7)),
            [],
            pd.Timestamp("2020-01-01"),
            "D",
        ),
        # Monthly on the 15th: no pandas frequency, but months.
        (
            "d,y\n" + "".join(f"2016-{m:02d}-15,{m}\n" for m in range(1, 7)),
            [],
            pd.Period("2016-01", "M"),
            "M",
        ),
        # Two-digit years, with their format.
        (
            "d,y\n" + "".join(f"{yy},{i}\n" for i, yy in
                              enumerate(["97", "98", "99", "00", "01", "02"])),
            ["%y"],
            pd.Timestamp("1997-01-01"),
            "YS-JAN",
        ),
        # Daily times across a daylight-saving switch, as pandas writes them:
        # their local dates (in UTC they were refused as uneven).
        (
            "d,y\n" + "".join(f"2020-03-{d} 00:00:00+0{z}:00,{i}\n" for i, (d, z) in
                              enumerate([(27, 1), (28, 1), (29, 1), (30, 2),
                                         (31, 2)]))
            + "2020-04-01 00:00:00+02:00,5\n",
            [],
            pd.Timestamp("2020-03-27"),
            "D",
        ),
        # The same with their format: it was refused as uneven.
        (
            "d,y\n" + "".join(f"2020-03-{d} 00:00:00+0{z}:00,{i}\n" for i, (d, z) in
                              enumerate([(27, 1), (28, 1), (29, 1), (30, 2),
                                         (31, 2)]))
            + "2020-04-01 00:00:00+02:00,5\n",
            ["%Y-%m-%d %H:%M:%S%z"],
            pd.Timestamp("2020-03-27"),
            "D",
        ),
        # Hourly times across a daylight-saving switch: in UTC, evenly spaced.
        (
            "d,y\n" + "".join(f"2020-03-29T{h}+0{z}:00,{i}\n" for i, (h, z) in
                              enumerate([("00:00", 1), ("01:00", 1), ("03:00", 2),
                                         ("04:00", 2), ("05:00", 2), ("06:00", 2)])),
            [],
            pd.Timestamp("2020-03-28 23:00", tz="UTC"),
            "h",
        ),
    ],
)  # fmt: skip
def test_dates_the_reader_once_misread_or_refused(
    text, date_format, first, freq, tmp_path
):
    from skrnn._cli import _read_series

    path = tmp_path / "d.csv"
    path.write_text(text)
    y = _read_series(path, "y", "d", *date_format)
    assert y.index[0] == first
    assert y.index.freqstr == freq
    np.testing.assert_array_equal(y.to_numpy(), np.sort(y.to_numpy()))
    assert len(y) == 6


def test_a_month_start_off_by_a_day_is_not_read_as_business_months(tmp_path):
    # pandas infers "BMS" when the odd date is a Monday (2020-11-01 was a
    # Sunday); the later error then blamed an X the user never gave.
    from skrnn._cli import UsageError, _read_series

    months = pd.date_range("2020-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    months = [("2020-11-02" if m == "2020-11-01" else m) for m in months]
    path = tmp_path / "d.csv"
    path.write_text("d,y\n" + "".join(f"{m},{i}\n" for i, m in enumerate(months)))
    with pytest.raises(UsageError, match=r"not evenly spaced \(e.g. 2020-11-02\)"):
        _read_series(path, "y", "d", None)


def test_fill_in_help_and_usage(capsys):
    code, stdout, _ = _run(capsys, "compare", "--help")
    assert code == 0
    assert "--fill {interpolate,ffill}" in stdout
    assert "--date-format FMT" in stdout
    code, _, stderr = _run(
        capsys, "compare", "x.csv", "--target", "y", "--fill", "mean"
    )
    assert code == 2
    assert "invalid choice: 'mean'" in stderr


def test_no_tensorflow_lines_on_the_console(csv, tmp_path):
    """TensorFlow's start-up lines (CUDA stubs, cuInit) stay off the console."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    out = tmp_path / "tf.html"
    result = subprocess.run(
        [
            sys.executable, "-m", "skrnn", "compare", str(csv), "--target", "sales",
            "--models", "gru", "--epochs", "1", "--horizon", "6", "--n-splits", "1",
            "--out", str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for noise in ["absl", "cuda", "cuInit", "oneDNN", "I0000", "E0000", "W0000"]:
        assert noise not in result.stderr
    assert "Report written to" in result.stdout


def test_settings_tell_demo_and_quick_demo_apart():
    from skrnn._cli import _models
    from skrnn.comparison._tasks import _settings_text

    quick = _settings_text(_models(None, 12, None, quick=True)["LSTM"])
    full = _settings_text(_models(None, 12, None, quick=False)["LSTM"])
    assert (quick["units"], quick["epochs"]) == (8, 8)
    assert (full["units"], full["epochs"]) == (32, 100)
    for settings in (quick, full):
        assert settings["window"] == "auto"
        assert settings["cell"] == "lstm"
        assert settings["early_stopping"] is True
        assert settings["seed"] == 0


# -- exogenous regressors (--exog) ---------------------------------------------


@pytest.fixture
def exog_csv(tmp_path):
    """Sales that are exactly 3 * price + 1, the price a random walk; the rows
    shuffled, so that the regressor must be sorted with the target."""
    n = 60
    price = np.random.default_rng(1).normal(size=n).cumsum()
    frame = pd.DataFrame(
        {
            "month": pd.date_range("2015-01-01", periods=n, freq="MS").strftime(
                "%Y-%m-%d"
            ),
            "sales": 3 * price + 1,
            "price": price,
            "region": ["north"] * n,
        }
    )
    path = tmp_path / "priced.csv"
    frame.sample(frac=1, random_state=0).to_csv(path, index=False)
    return path


@pytest.fixture
def compare_spy(monkeypatch):
    """The real compare, recording what the command passed it and returned."""
    import skrnn.comparison

    calls = []
    real = skrnn.comparison.compare

    def spy(models, y, **kwargs):
        call = {"y": y, **kwargs}
        calls.append(call)
        call["report"] = real(models, y, **kwargs)
        return call["report"]

    monkeypatch.setattr(skrnn.comparison, "compare", spy)
    return calls


def _ar_mase(report):
    scores = report.scores
    return scores[(scores.model == "AR(aic)") & (scores.metric == "mase")][
        "value"
    ].mean()


def test_exog_reaches_the_models(exog_csv, tmp_path, capsys, compare_spy):
    argv = ["compare", exog_csv, "--target", "sales", "--date-column", "month"]
    argv += ["--models", "ar,naive", "--horizon", "6", "--quiet"]
    out = tmp_path / "exog.html"
    code, _, stderr = _run(capsys, *argv, "--exog", "price", "--out", out)
    assert code == 0, stderr
    code, _, stderr = _run(capsys, *argv, "--out", tmp_path / "plain.html")
    assert code == 0, stderr
    with_exog, without = compare_spy
    X, y = with_exog["X"], with_exog["y"]
    assert list(X.columns) == ["price"]
    pd.testing.assert_index_equal(X.index, y.index)
    # Sorted with the target: sales is still 3 * price + 1 row by row.
    np.testing.assert_allclose(y.to_numpy(), 3 * X["price"].to_numpy() + 1)
    assert without["X"] is None
    # sales is a linear function of price: AR with it is all but exact.
    assert _ar_mase(with_exog["report"]) < 1e-6
    assert _ar_mase(without["report"]) > 0.5
    page = out.read_text(encoding="utf-8")
    assert "exogenous regressors (--exog): price" in page


def test_exog_empty_values_are_refused_or_filled(exog_csv, tmp_path, capsys):
    frame = pd.read_csv(exog_csv)
    frame.loc[5, "price"] = np.nan  # line 7 of the file
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    argv = ["compare", path, "--target", "sales", "--date-column", "month"]
    argv += ["--exog", "price", "--models", "ar,naive", "--horizon", "6", "--quiet"]
    out = tmp_path / "holes.html"
    code, _, stderr = _run(capsys, *argv, "--out", out)
    assert code == 2
    assert (
        "--exog 'price' has 1 empty values (first on line 7 of holes.csv). Fill "
        "them with --fill interpolate or --fill ffill, or in the file." in stderr
    )
    assert not out.exists()
    code, _, stderr = _run(capsys, *argv, "--fill", "interpolate", "--out", out)
    assert code == 0, stderr
    assert "1 empty values of price filled (interpolate)" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--exog", "cost"],
            "--exog 'cost': no such column in priced.csv. Its columns are: "
            "month, sales, price, region.",
        ),
        (
            ["--exog", "price,sales"],
            "--exog 'sales' is also --target (the series to forecast); an "
            "exogenous regressor must be another column. Remove it from --exog.",
        ),
        (
            ["--exog", "month"],
            "--exog 'month' is also --date-column (the dates)",
        ),
        (
            ["--exog", "region"],
            "--exog 'region' must hold numbers, but line 2 of priced.csv holds "
            "'north'. Pick a numeric column or fix the file.",
        ),
        (["--exog", "price,price"], "--exog lists 'price' twice. List it once."),
        (["--exog", "price,"], "argument --exog: must be a column name"),
    ],
)
def test_bad_exog_is_a_usage_error(options, message, exog_csv, tmp_path, capsys):
    out = tmp_path / "never.html"
    code, stdout, stderr = _run(
        capsys, "compare", exog_csv, "--target", "sales", "--date-column", "month",
        "--models", "ar", "--horizon", "6", "--out", out, *options,
    )  # fmt: skip
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert not out.exists()


def test_metrics_are_chosen_on_the_command_line(tmp_path, capsys):
    # A series whose start is constant has no MASE; the error's advice, to
    # score with mae or rmse, had no option to follow.
    path = tmp_path / "zeros.csv"
    values = np.r_[np.zeros(20), np.arange(1.0, 13.0)]
    pd.DataFrame({"y": values}).to_csv(path, index=False)
    argv = ["compare", path, "--target", "y", "--models", "ar1,naive", "--horizon", "4"]
    code, _, stderr = _run(capsys, *argv, "--out", tmp_path / "a.html")
    assert code == 2
    assert "--metrics rmse,mae" in stderr
    out = tmp_path / "b.html"
    code, stdout, stderr = _run(capsys, *argv, "--metrics", "rmse,mae", "--out", out)
    assert code == 0, stderr
    assert "RMSE" in stdout
    assert "MASE" not in out.read_text(encoding="utf-8")
    code, _, stderr = _run(capsys, *argv, "--metrics", "r2")
    assert code == 2
    assert "must be a comma-separated list of mase,rmse,mae,smape" in stderr
