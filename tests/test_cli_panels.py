"""The command line on several series: --target a,b,c and --id-column.

The end-to-end tests (report written) need compare() to take a wide panel;
the others check what the command reads and passes to it, and its refusals.
"""

import re

import numpy as np
import pandas as pd
import pytest

from skrnn._cli import main
from skrnn.datasets import read_csv_panel

N = 48
STORES = ("lisbon", "porto", "braga")


def _panel(*, same_end=False):
    """Three monthly series: lisbon runs the whole time, porto starts a year
    late, braga ends three months early (unless ``same_end``); and a price."""
    t = np.arange(N)
    rng = np.random.default_rng(0)
    months = pd.date_range("2016-01-01", periods=N, freq="MS")
    wide = pd.DataFrame(
        {
            store: level + t + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(size=N)
            for store, level in zip(STORES, (100, 50, 20), strict=True)
        },
        index=months,
    )
    wide.iloc[:12, 1] = np.nan
    if not same_end:
        wide.iloc[-3:, 2] = np.nan
    wide["price"] = rng.normal(size=N).cumsum()
    return wide


@pytest.fixture
def wide_csv(tmp_path):
    wide = _panel()
    path = tmp_path / "stores.csv"
    wide.rename_axis("month").reset_index().assign(
        month=lambda f: f["month"].dt.strftime("%Y-%m")
    ).to_csv(path, index=False)
    return path


@pytest.fixture
def long_csv(tmp_path):
    """The same series, one row per (store, month), rows shuffled."""
    wide = _panel(same_end=True)
    long = (
        wide.drop(columns="price")
        .rename_axis("month")
        .reset_index()
        .melt(id_vars="month", var_name="store", value_name="sales")
        .dropna()
        .merge(wide["price"].rename_axis("month").reset_index(), on="month")
    )
    long["month"] = long["month"].dt.strftime("%Y-%m-%d")
    path = tmp_path / "stores_long.csv"
    long.sample(frac=1, random_state=0).to_csv(path, index=False)
    return path


def _run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


QUICK = ["--models", "ar,naive", "--horizon", "6", "--quiet"]


@pytest.fixture
def recorded(monkeypatch):
    """What the command passes to compare (which then runs as usual)."""
    import skrnn.comparison

    calls = []
    real = skrnn.comparison.compare

    def spy(models, y, **kwargs):
        calls.append({"models": models, "y": y, **kwargs})
        return real(models, y, **kwargs)

    monkeypatch.setattr(skrnn.comparison, "compare", spy)
    return calls


# -- what the command passes to compare (independent of compare's answer) ----


def test_wide_layout_passes_the_panel_to_compare(wide_csv, tmp_path, capsys, recorded):
    targets = ",".join(STORES)
    _run(capsys, "compare", wide_csv, "--target", targets, "--date-column", "month",
         *QUICK, "--out", tmp_path / "r.html")  # fmt: skip
    (call,) = recorded
    y = call["y"]
    expected, _ = read_csv_panel(wide_csv, list(STORES), date_column="month")
    pd.testing.assert_frame_equal(y, expected)
    assert list(y.columns) == list(STORES)
    assert y.index.freqstr == "MS"
    # NaN exactly before porto starts and after braga ends.
    assert y["porto"].isna().to_numpy().tolist() == [True] * 12 + [False] * (N - 12)
    assert y["braga"].isna().to_numpy().tolist() == [False] * (N - 3) + [True] * 3
    assert call["X"] is None


def test_long_layout_passes_the_panel_and_exog(long_csv, tmp_path, capsys, recorded):
    _run(capsys, "compare", long_csv, "--id-column", "store", "--target", "sales",
         "--date-column", "month", "--exog", "price", *QUICK,
         "--out", tmp_path / "r.html")  # fmt: skip
    (call,) = recorded
    y, X = call["y"], call["X"]
    wide = _panel(same_end=True)
    assert sorted(y.columns) == sorted(STORES)
    np.testing.assert_allclose(
        y[list(STORES)].to_numpy(), wide[list(STORES)].to_numpy()
    )
    assert y.index.freqstr == "MS"
    pd.testing.assert_index_equal(X.index, y.index)
    np.testing.assert_allclose(X["price"].to_numpy(), wide["price"].to_numpy())


def test_the_memory_check_counts_the_points_of_every_series(
    wide_csv, tmp_path, capsys, monkeypatch
):
    import skrnn._cli

    observed = 3 * N - 12 - 3
    # Naive holds 3 float64 per point: room for fewer than all the points,
    # though more than N rows of one series.
    monkeypatch.setattr(skrnn._cli, "_memory_budget", lambda: 3 * 8 * observed - 1)
    out = tmp_path / "big.html"
    code, _, stderr = _run(
        capsys, "compare", wide_csv, "--target", ",".join(STORES),
        "--date-column", "month", "--models", "naive", "--out", out,
    )  # fmt: skip
    assert code == 2
    assert f"the 3 series have {observed} time points in all" in stderr
    assert "Use the last 42 rows of each series or fewer" in stderr
    assert not out.exists()
    models = skrnn._cli._models(["naive"], None, None, quick=False)
    monkeypatch.setattr(skrnn._cli, "_memory_budget", lambda: 3 * 8 * observed)
    skrnn._cli._check_size(models, observed, 3)  # just fits: no error


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--id-column", "store", "--target", "sales,price"],
            "With --id-column (one row per series and date), --target is the one "
            "column of values. Got 2 columns (sales, price) instead.",
        ),
        (
            ["--id-column", "shop", "--target", "sales", "--date-column", "month"],
            "--id-column 'shop': no such column in stores_long.csv.",
        ),
        (
            ["--id-column", "store", "--target", "sales"],
            "--id-column needs --date-column: the dates line the series up in time.",
        ),
        (
            [
                "--id-column",
                "store",
                "--target",
                "sales",
                "--date-column",
                "month",
                "--exog",
                "store",
            ],
            "--exog 'store' is also --id-column (the series ids)",
        ),
        (
            ["--target", "sales,units", "--date-column", "month"],
            "--target 'units': no such column in stores_long.csv.",
        ),
    ],
)
def test_long_layout_usage_errors(options, message, long_csv, tmp_path, capsys):
    out = tmp_path / "never.html"
    code, stdout, stderr = _run(
        capsys, "compare", long_csv, *options, *QUICK, "--out", out
    )
    assert code == 2
    assert message in stderr
    assert stderr.startswith("skrnn compare: error: ")
    assert stdout == ""
    assert not out.exists()


def test_a_repeated_row_of_the_long_layout_is_refused(long_csv, tmp_path, capsys):
    frame = pd.read_csv(long_csv)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(long_csv, index=False)
    first = frame.iloc[0]
    out = tmp_path / "never.html"
    code, _, stderr = _run(
        capsys, "compare", long_csv, "--id-column", "store", "--target", "sales",
        "--date-column", "month", *QUICK, "--out", out,
    )  # fmt: skip
    assert code == 2
    assert (
        f"--id-column 'store': series {first['store']!r} has several rows at "
        f"{first['month']} (lines 2, {len(frame) + 2} of stores_long.csv). Give "
        "one row per series and date (aggregate duplicates first)." in stderr
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("dates", "freq"),
    [
        (pd.date_range("2016-01-31", periods=N, freq="ME"), "ME"),  # month ends
        (pd.date_range("2016-01-01", periods=N, freq="QS"), "QS-"),  # quarters
    ],
    ids=["month-ends", "quarters"],
)
def test_series_of_a_long_file_at_different_frequencies_are_refused(
    dates, freq, long_csv, tmp_path, capsys
):
    # Their union has no frequency: filled, they became daily series.
    frame = pd.read_csv(long_csv)
    porto = frame["store"] == "porto"
    frame.loc[porto, "month"] = dates[: porto.sum()].strftime("%Y-%m-%d")
    frame.to_csv(long_csv, index=False)
    out = tmp_path / "never.html"
    code, _, stderr = _run(
        capsys, "compare", long_csv, "--id-column", "store", "--target", "sales",
        "--date-column", "month", "--fill", "interpolate", *QUICK, "--out", out,
    )  # fmt: skip
    assert code == 2
    # pandas names quarters QS-OCT or QS-JAN, by version.
    assert re.search(rf"at {freq}\w*\. The series of one comparison need one", stderr)
    assert not out.exists()


def test_exog_with_a_series_that_ends_early_is_refused_in_cli_words(
    wide_csv, tmp_path, capsys
):
    out = tmp_path / "never.html"
    code, _, stderr = _run(
        capsys, "compare", wide_csv, "--target", ",".join(STORES), "--date-column",
        "month", "--exog", "price", *QUICK, "--out", out,
    )  # fmt: skip
    assert code == 2
    assert (
        "--exog needs every series to end on the same date, but series 'braga' "
        "ends on 2019-09-01, before 2019-12-01. Cut every series at 2019-09-01 (or "
        "remove series 'braga') in the file, or leave out --exog." in stderr
    )
    assert not out.exists()


def test_an_interior_blank_of_one_series_follows_fill(wide_csv, tmp_path, capsys):
    frame = pd.read_csv(wide_csv)
    frame.loc[20, "porto"] = np.nan  # line 22, inside porto
    frame.to_csv(wide_csv, index=False)
    argv = ["compare", wide_csv, "--target", ",".join(STORES)]
    argv += ["--date-column", "month", *QUICK]
    out = tmp_path / "never.html"
    code, _, stderr = _run(capsys, *argv, "--out", out)
    assert code == 2
    assert (
        "--target 'porto' has 1 empty values inside the series (first on line 22 "
        "of stores.csv). Fill them with --fill interpolate or --fill ffill"
    ) in stderr
    assert not out.exists()


# -- end to end: these need compare() to take a wide panel ---------------------


def _assert_report_names(out, names):
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    for name in names:
        assert name in page, name
    return page


def test_wide_panel_end_to_end(wide_csv, tmp_path, capsys):
    out = tmp_path / "wide.html"
    code, stdout, stderr = _run(
        capsys, "compare", wide_csv, "--target", ",".join(STORES),
        "--date-column", "month", *QUICK, "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.startswith(f"Report written to {out}")
    _assert_report_names(out, STORES)


def test_long_panel_end_to_end(long_csv, tmp_path, capsys):
    out = tmp_path / "long.html"
    code, _, stderr = _run(
        capsys, "compare", long_csv, "--id-column", "store", "--target", "sales",
        "--date-column", "month", *QUICK, "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    page = _assert_report_names(out, STORES)
    assert "rows sorted by month within each store (the file was not in order)" in page


def test_panel_with_exog_end_to_end(long_csv, tmp_path, capsys):
    out = tmp_path / "exog.html"
    code, stdout, stderr = _run(
        capsys, "compare", long_csv, "--id-column", "store", "--target", "sales",
        "--date-column", "month", "--exog", "price", "--models", "ar,naive",
        "--horizon", "6", "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    assert "AR(aic)" in stdout  # the summary table
    page = _assert_report_names(out, STORES)
    assert "exogenous regressors (--exog): price" in page
