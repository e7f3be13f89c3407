"""Hostile data for the command line and the comparison report.

Each case is something a user has (a CSV with day-first dates, gaps, an
unwritable output path, a model whose forecasts blow up, a model name with
``$`` in it): it either works or gets one clear line naming the fix, and
nothing is fitted before the input is known to be good.
"""

import numpy as np
import pandas as pd
import pytest

import skrnn.comparison
from skrnn import compare
from skrnn._cli import main
from skrnn.datasets import read_csv_series
from skrnn.forecasting import ARForecaster, NaiveForecaster
from skrnn.forecasting._base import BaseForecaster


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _monthly(n=40, start="2015-01-01"):
    dates = pd.date_range(start, periods=n, freq="MS")
    values = 100 + np.arange(n) + 5 * np.sin(np.arange(n))
    return dates, values


CASES = {
    "ambiguous day/month": (
        "day,y\n" + "".join(f"01/{m:02d}/2020,{m}\n" for m in range(1, 13)),
        ["--date-column", "day"],
        "ambiguous date: day-first it is 01 February 2020, month-first 02 January 2020",
    ),
    "unparseable date": (
        "day,y\n2020-01-01,1\n2020-01-02,2\nsoon,3\n",
        ["--date-column", "day"],
        "line 4 of data.csv holds 'soon', which is not a date",
    ),
    "date not matching --date-format": (
        "day,y\n01/01/2020,1\n02/01/2020,2\n2020-01-03,3\n",
        ["--date-column", "day", "--date-format", "%d/%m/%Y"],
        "line 4 of data.csv holds '2020-01-03', which does not match '%d/%m/%Y'",
    ),
    "integers that are not years": (
        "t,y\n100000,1\n100001,2\n100002,3\n",
        ["--date-column", "t"],
        "integers that are neither years of three or four digits (1871) nor "
        "YYYYMMDD dates",
    ),
    "empty date cell": (
        "day,y\n2020-01-01,1\n,2\n2020-01-03,3\n",
        ["--date-column", "day"],
        "line 3 of data.csv has no date",
    ),
    "gaps without --fill": (
        "day,y\n2020-01-01,1\n2020-01-02,2\n2020-01-05,5\n2020-01-06,6\n",
        ["--date-column", "day"],
        "2 time points are missing (first: 2020-01-03) between "
        "2020-01-01 and 2020-01-06 at frequency D. Fill them "
        "with --fill interpolate or --fill ffill",
    ),
    "empty values without --fill": (
        "t,y\n0,1\n1,\n2,3\n3,4\n",
        [],
        "--target 'y' has 1 empty values (first on line 3 of data.csv). Fill "
        "them with --fill interpolate or --fill ffill",
    ),
    "two-digit years": (
        "year,y\n98,1\n99,2\n00,3\n01,4\n",
        ["--date-column", "year"],
        "'%y' for two-digit years",
    ),
    "month-year labels with a two-digit year": (
        "m,y\nJan-16,1\nFeb-16,2\nMar-16,3\n",
        ["--date-column", "m"],
        "a date without a four-digit year. Give its format with --date-format, "
        "e.g. '%b-%y'",
    ),
    "ambiguous day-first dates with a time of day": (
        "d,y\n01/01/2016 00:00,1\n01/02/2016 00:00,2\n01/03/2016 00:00,3\n",
        ["--date-column", "d"],
        "Say which with --date-format '%d/%m/%Y %H:%M' or --date-format "
        "'%m/%d/%Y %H:%M'",
    ),
    "an unquoted thousands separator": (
        "d,y\n2016-01-01,100,000\n2016-02-01,101,500\n",
        ["--date-column", "d"],
        "Line 2 of data.csv has 3 fields, but the header has 2 (d, y)",
    ),
    "a header and no rows": (
        "d,y\n",
        ["--date-column", "d"],
        "data.csv has a header but no rows of data",
    ),
    "dates not evenly spaced": (
        "day,y\n2020-01-01 00:00,1\n2020-01-01 07:13,2\n2020-01-02 03:00,3\n"
        "2020-01-03 00:00,4\n",
        ["--date-column", "day"],
        "the dates are not evenly spaced",
    ),
    "two-digit years in day/month dates": (  # 13/01/50 became 2050-01-13
        "d,y\n" + "".join(f"{d}/01/50,{d}\n" for d in range(13, 19)),
        ["--date-column", "d"],
        "a date with a two-digit year. Give its format with --date-format, "
        "e.g. '%d/%m/%y' or '%m/%d/%y'",
    ),
    "two-digit years with times": (  # the advice left out the time of day
        "d,y\n" + "".join(f"{d}/01/50 10:30,{d}\n" for d in range(13, 19)),
        ["--date-column", "d"],
        "e.g. '%d/%m/%y %H:%M' or '%m/%d/%y %H:%M'",
    ),
    "a year and one digit": (  # 1990.1 to 1990.4 were January to April
        "q,y\n" + "".join(f"1990.{k},{k}\n" for k in range(1, 5)),
        ["--date-column", "q"],
        "holds '1990.1': a year and one digit, a quarter or a month",
    ),
    "the target as the date column": (  # forecast the years
        "year,y\n" + "".join(f"{1950 + k},{k}\n" for k in range(20)),
        ["--date-column", "y"],
        "--date-column 'y' is also --target. Give each column one role",
    ),
    "infinity": (  # passed the reader; the model's error named fill_gaps
        "d,y\n2020-01,1\n2020-02,inf\n2020-03,3\n2020-04,4\n",
        ["--date-column", "d"],
        "--target 'y' must hold numbers, but line 3 of data.csv holds 'inf'",
    ),
    "repeated date after sorting": (
        "day,y\n2020-01-02,1\n2020-01-01,2\n2020-01-02,3\n",
        ["--date-column", "day"],
        "repeats the date 2020-01-02",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_csv_gets_one_line_naming_the_fix(case, tmp_path, capsys, monkeypatch):
    text, options, message = CASES[case]

    def no_fit(*args, **kwargs):
        raise AssertionError("compare ran on bad input")

    monkeypatch.setattr(skrnn.comparison, "compare", no_fit)
    path = _write(tmp_path, text)
    argv = ["compare", str(path), "--target", "y", *options]
    code = main([*argv, "--out", str(tmp_path / "r.html")])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert message in captured.err
    assert captured.err.startswith("skrnn compare: error: ")
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.out == ""


def test_quoted_thousands_separators_are_read(tmp_path):
    # The error for unquoted ones asks for quotes, which were then refused.
    text = 'd,y\n2020-01,"1,000"\n2020-02,"1,250.5"\n2020-03,900\n2020-04,"-12,000"\n'
    y = read_csv_series(_write(tmp_path, text), "y", date_column="d")
    assert y.tolist() == [1000.0, 1250.5, 900.0, -12000.0]
    decimal_comma = 'd,y\n2020-01,"1,5"\n2020-02,"2,25"\n2020-03,"3,0"\n'
    with pytest.raises(ValueError, match="must hold numbers, but line 2"):
        read_csv_series(_write(tmp_path, decimal_comma), "y", date_column="d")


def test_the_python_reader_names_its_own_arguments(tmp_path):
    path = _write(tmp_path, CASES["empty values without --fill"][0])
    with pytest.raises(ValueError, match="Fill them with `fill` interpolate"):
        read_csv_series(path, "y")
    with pytest.raises(ValueError, match="`fill` must be one of interpolate, ffill"):
        read_csv_series(path, "y", fill="mean")
    with pytest.raises(ValueError, match="`date_column` 'when': no such column"):
        read_csv_series(path, "y", date_column="when")


# -- --out and the size of the series: refused before any fit -----------------


def _forbid_compare(monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("compare ran although --out or the size is bad")

    monkeypatch.setattr(skrnn.comparison, "compare", no_fit)


def test_an_out_that_is_the_data_file_is_refused(tmp_path, capsys, monkeypatch):
    # The report replaced the data.
    _forbid_compare(monkeypatch)
    dates, values = _monthly()
    text = "m,y\n" + "".join(
        f"{d:%Y-%m},{v}\n" for d, v in zip(dates, values, strict=True)
    )
    path = _write(tmp_path, text)
    argv = ["compare", str(path), "--target", "y", "--date-column", "m"]
    code = main([*argv, "--out", str(tmp_path / "." / "data.csv")])
    assert code == 2
    assert "is the data file" in capsys.readouterr().err
    assert path.read_text() == text


def test_an_out_that_is_a_folder_is_refused_before_reading_or_fitting(
    tmp_path, capsys, monkeypatch
):
    _forbid_compare(monkeypatch)
    code = main(["demo", "--quick", "--out", str(tmp_path)])
    assert code == 2
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_an_unwritable_out_is_refused_before_any_fit(tmp_path, capsys, monkeypatch):
    _forbid_compare(monkeypatch)
    real_open = open

    def refusing_open(file, mode="r", *args, **kwargs):
        if str(file) == str(tmp_path / "r.html") and "a" in mode:
            raise PermissionError(13, "Permission denied")
        return real_open(file, mode, *args, **kwargs)

    # Root may write anywhere, so a read-only folder proves nothing here.
    monkeypatch.setattr("builtins.open", refusing_open)
    _, values = _monthly()
    path = tmp_path / "y.csv"
    pd.DataFrame({"y": values}).to_csv(path, index=False)
    code = main(
        ["compare", str(path), "--target", "y", "--out", str(tmp_path / "r.html")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot be written (Permission denied)" in err
    assert not (tmp_path / "r.html").exists()


def test_out_checking_leaves_no_file_behind_and_an_old_report_alone(tmp_path):
    from skrnn._cli import _check_out

    new = tmp_path / "new.html"
    _check_out(new)
    assert not new.exists()
    old = tmp_path / "old.html"
    old.write_text("yesterday's report")
    _check_out(old)
    assert old.read_text() == "yesterday's report"


def test_a_series_too_big_for_memory_is_refused_with_a_size_hint(
    tmp_path, capsys, monkeypatch
):
    _forbid_compare(monkeypatch)
    # A small budget stands in for a 6.5-million-row file on a real machine.
    monkeypatch.setattr("skrnn._cli._memory_budget", lambda: 2**20)
    _, values = _monthly(n=3000, start="1800-01-01")
    path = tmp_path / "long.csv"
    pd.DataFrame({"y": values}).to_csv(path, index=False)
    code = main(["compare", str(path), "--target", "y", "--models", "ar,naive"])
    err = capsys.readouterr().err
    assert code == 2
    assert "the series has 3,000 time points: fitting AR(aic) would need about" in err
    assert "or leave AR(aic) out of --models" in err
    # The hint is right: that many rows fit the budget.
    rows = int(err.split("Use the last ")[1].split(" rows")[0].replace(",", ""))
    from skrnn._cli import _model_bytes

    assert _model_bytes(ARForecaster("aic"), rows) <= 2**20


# -- the report: failing models and names that are not plain words ----------


class NaNForecaster(BaseForecaster):
    """A model whose forecasts are NaN (a diverged network, say)."""

    _parameter_constraints = {}

    def _fit(self, y, exog):
        pass

    def _forecast(self, steps, exog):
        return np.full((steps, 1), np.nan)


def _series():
    return pd.Series(np.sin(np.arange(60.0) / 3) + np.arange(60) / 30)


def test_a_model_with_nan_forecasts_is_reported_and_the_others_kept():
    models = {"Naive": NaiveForecaster(), "AR(1)": ARForecaster(1)}
    alone = compare(models, _series(), horizon=6, progress=False)
    report = compare(
        {**models, "Diverged": NaNForecaster()}, _series(), horizon=6, progress=False
    )
    kept = report.scores[report.scores["model"] != "Diverged"]
    values = ~kept["metric"].str.endswith("seconds")
    pd.testing.assert_frame_equal(
        kept[values].reset_index(drop=True),
        alone.scores[~alone.scores["metric"].str.endswith("seconds")].reset_index(
            drop=True
        ),
    )
    summary = report.summary()
    assert summary.index.tolist() == [*alone.summary().index, "Diverged"]
    assert pd.isna(summary.loc["Diverged", "rank"])
    assert summary.loc["Diverged", "failed_folds"] == 3
    assert np.isnan(summary.loc["Diverged", "mase_mean"])
    assert report.failures["model"].tolist() == ["Diverged"] * 3
    assert report.failures["reason"].iloc[0] == "6 of 6 forecasts are NaN or infinite"
    assert report._headline().startswith(
        "Failed, so not ranked: Diverged (folds 0, 1, 2: 6 of 6 forecasts"
    )
    assert "| Diverged | failed |" in report.to_markdown()
    page = report.to_html()
    assert "<td>failed</td>" in page
    assert "Failed, so not ranked: Diverged" in page


@pytest.mark.parametrize("panel", [False, True])
def test_a_network_whose_training_diverges_fails_its_folds_only(panel):
    # Its FloatingPointError ended the whole comparison, naming no model.
    from skrnn import RNNRegressor
    from skrnn.forecasting import RecursiveForecaster

    network = RNNRegressor(
        units=4, epochs=2, optimizer="sgd", learning_rate=1e4, random_state=0
    )
    diverges = RecursiveForecaster(
        network, window=4, differences=0, seasonal_differences=0
    )
    y = _series()
    if panel:
        y = pd.DataFrame({"a": y, "b": y[::-1].to_numpy() + 3})
    models = {"Naive": NaiveForecaster(), "Diverges": diverges}
    report = compare(models, y, horizon=6, cv=2, progress=False)
    assert report.failures["model"].tolist() == ["Diverges"] * 2
    assert report.failures["reason"].str.contains("diverged.*learning_rate").all()
    assert "Naive" in report.summary().dropna(subset=["rank"]).index


class DivergingIntervals(NaiveForecaster):
    def predict_interval(self, X, coverage=0.9):
        raise FloatingPointError("Training of RNNRegressor diverged: loss nan")


def test_intervals_that_diverge_keep_the_models_forecasts():
    # A diverged calibration refit failed the whole fold, its point
    # forecasts (already made) included.
    models = {"Naive": NaiveForecaster(), "Flaky": DivergingIntervals()}
    with pytest.warns(
        RuntimeWarning,
        match=r"intervals of 'Flaky' failed on folds 0, 1 \(Training of RNNRegressor "
        r"diverged: loss nan\); its forecasts are kept",
    ):
        report = compare(
            models, _series(), horizon=6, cv=2, coverage=0.9, progress=False
        )
    assert report.failures.empty
    summary = report.summary()
    assert summary.loc["Flaky", "mase_mean"] == summary.loc["Naive", "mase_mean"]
    scores = report.interval_scores()
    assert scores.loc["Flaky"].isna().all()
    assert scores.loc["Naive"].notna().all()


def test_when_every_model_fails_compare_says_so():
    with pytest.raises(ValueError, match=r"Every model failed.*'Bad' on fold 0"):
        compare({"Bad": NaNForecaster()}, _series(), horizon=6, progress=False)


NAMES = [r"price $\notacommand$", "a | b", "<b>bold</b>", "x_1 *y* `z`", "$5 & $6"]


def test_model_names_are_plain_text_in_html_figures_and_markdown():
    models = {name: NaiveForecaster() for name in NAMES}
    models["AR(1)"] = ARForecaster(1)
    report = compare(models, _series(), horizon=6, progress=False)
    page = report.to_html()  # matplotlib would parse $...$ as mathtext
    assert r"price $\notacommand$</td>" in page
    assert "&lt;b&gt;bold&lt;/b&gt;</td>" in page
    assert "<b>bold</b>" not in page
    panels = [ax for ax in report.plot("forecasts").axes if ax.get_visible()]
    titles = [ax.get_title("left").split("  ")[0] for ax in panels]
    assert titles[0] == r"price \$\notacommand\$"  # shown literally, "$" and all
    markdown = report.to_markdown()
    rows = markdown.splitlines()[2:]
    # Each row still has exactly the table's cells: no "|" leaked from a name.
    assert {row.replace(r"\|", "").count("|") for row in rows} == {14}
    assert r"| a \| b |" in markdown
    assert r"\<b\>bold\</b\>" in markdown
    assert r"x\_1 \*y\* \`z\`" in markdown


@pytest.mark.parametrize("panel", [False, True])
def test_interpolation_never_fills_a_training_point_from_a_test_point(
    panel, tmp_path, monkeypatch
):
    # --fill interpolate drew the line to the first test value: a test value
    # of 1000 made the last training value 525 and the naive forecast with it.
    seen = {}

    def record(models, y, **kwargs):
        seen["y"] = y
        raise RuntimeError("stop before fitting")

    monkeypatch.setattr(skrnn.comparison, "compare", record)
    months = pd.period_range("2000-01", periods=60, freq="M").astype(str)
    values = 50 + np.random.default_rng(0).normal(size=60).cumsum()
    values[[20, 47]] = np.nan  # a gap inside the training part; one at its end
    values[48] = 1000.0  # the first test point (horizon 12, one split)
    frame = pd.DataFrame({"month": months, "sales": values})
    if panel:  # a second series, without gaps
        frame = pd.concat([frame, frame.assign(sales=np.arange(60.0))], axis=1)
        frame.columns = ["month", "a", "m2", "b"]
        frame = frame.drop(columns="m2")
    path = tmp_path / "gaps.csv"
    frame.to_csv(path, index=False)
    argv = ["compare", str(path), "--date-column", "month", "--fill", "interpolate"]
    argv += ["--target", "a,b" if panel else "sales", "--horizon", "12"]
    argv += ["--n-splits", "1", "--models", "naive"]
    main([*argv, "--out", str(tmp_path / "r.html")])
    y = seen["y"]["a"] if panel else seen["y"]
    assert y.iloc[47] == values[46]  # the last value repeated, not 525
    assert y.iloc[20] == pytest.approx((values[19] + values[21]) / 2)
    assert y.iloc[48] == 1000.0
