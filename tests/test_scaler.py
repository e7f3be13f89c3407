"""Behaviour of SequenceScaler that users rely on."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
)

from skrnn.preprocessing import SequenceScaler


def _observed_rows(X):
    """The non-padding time steps of 3-D X as a 2-D (n_steps, n_features) table."""
    flat = X.reshape(-1, X.shape[-1])
    return flat[~np.isnan(flat).all(axis=1)]


@pytest.fixture
def padded():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[5.0, -3.0], scale=[2.0, 0.1], size=(30, 8, 2))
    X[:10, :3] = np.nan  # leading padding of variable-length sequences
    return X


@pytest.mark.parametrize(
    ("method", "reference"), [("standard", StandardScaler), ("minmax", MinMaxScaler)]
)
def test_statistics_over_samples_and_steps_ignore_padding(padded, method, reference):
    scaler = SequenceScaler(method=method).fit(padded)
    Xt = scaler.transform(padded)
    expected = reference().fit_transform(_observed_rows(padded))
    np.testing.assert_allclose(_observed_rows(Xt), expected, atol=1e-12)
    # Padding stays padding, and nothing else became NaN.
    np.testing.assert_array_equal(np.isnan(Xt), np.isnan(padded))


def test_standard_and_minmax_attributes(padded):
    observed = _observed_rows(padded)
    standard = SequenceScaler().fit(padded)
    np.testing.assert_allclose(standard.center_, observed.mean(axis=0))
    np.testing.assert_allclose(standard.scale_, observed.std(axis=0))
    minmax = SequenceScaler(method="minmax").fit(padded)
    np.testing.assert_allclose(minmax.center_, observed.min(axis=0))
    np.testing.assert_allclose(minmax.scale_, np.ptp(observed, axis=0))
    assert standard.sequence_shape_ == (8, 2)


def test_statistics_come_from_training_data_only(padded):
    scaler = SequenceScaler().fit(padded[:20])
    test = padded[20:] + 100.0
    np.testing.assert_allclose(
        scaler.transform(test), (test - scaler.center_) / scaler.scale_
    )
    assert scaler.transform(test).mean() > 10  # not re-centred on the test data


@pytest.mark.parametrize("method", ["standard", "minmax"])
def test_constant_features_get_scale_one(method):
    X = np.stack([np.full((5, 4), 7.3), np.arange(20.0).reshape(5, 4)], axis=-1)
    scaler = SequenceScaler(method=method).fit(X)
    assert scaler.scale_[0] == 1.0
    np.testing.assert_allclose(scaler.transform(X)[:, :, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X)


def test_2d_input_is_univariate_and_returned_2d():
    X = np.arange(24.0).reshape(6, 4)
    scaler = SequenceScaler().fit(X)
    assert scaler.sequence_shape_ == (4, 1)
    Xt = scaler.transform(X)
    assert Xt.shape == (6, 4)
    np.testing.assert_allclose(Xt, (X - X.mean()) / X.std())
    assert scaler.inverse_transform(Xt).shape == (6, 4)
    # The same sequences as 3-D give the same numbers in 3-D.
    np.testing.assert_allclose(scaler.transform(X[:, :, None])[:, :, 0], Xt)
    df = pd.DataFrame(X, columns=[f"t{i}" for i in range(4)])
    np.testing.assert_allclose(SequenceScaler().fit_transform(df), Xt)


def test_variable_length_sequences_are_padded():
    seqs = [np.array([1.0, 2.0, 3.0]), np.array([4.0]), np.array([5.0, 6.0])]
    Xt = SequenceScaler(method="minmax").fit_transform(seqs)
    assert Xt.shape == (3, 3, 1)  # 3-D: a list's longest varies by call
    expected = np.array([[0.0, 0.2, 0.4], [np.nan, np.nan, 0.6], [np.nan, 0.8, 1.0]])
    np.testing.assert_allclose(Xt[:, :, 0], expected)
    multi = [np.ones((3, 2)), np.zeros((1, 2))]
    assert SequenceScaler().fit_transform(multi).shape == (2, 3, 2)


def test_a_pipeline_on_sequences_of_any_length_predicts_any_of_them():
    # A list of 1-D sequences came out 2-D, as wide as each call's longest;
    # the network fitted on it refused other widths ("X has 4 features, but
    # RNNRegressor is expecting 6"), the training sequences included.
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline

    from skrnn import RNNRegressor

    rng = np.random.default_rng(0)
    seqs = [rng.normal(size=n) for n in [3, 4, 5, 6] * 5]
    y = [s.sum() for s in seqs]
    network = RNNRegressor(units=4, epochs=2, random_state=0)
    pipe = make_pipeline(SequenceScaler(), clone(network)).fit(seqs, y)
    scaled = SequenceScaler().fit(seqs).transform(seqs)
    alone = network.fit(scaled, y)
    np.testing.assert_allclose(pipe.predict(seqs[:2]), alone.predict(scaled)[:2])
    assert pipe.predict([seqs[0], rng.normal(size=9)]).shape == (2,)


def test_input_is_never_modified(padded):
    before = padded.copy()
    scaler = SequenceScaler().fit(padded)
    Xt = scaler.transform(padded)
    scaler.inverse_transform(Xt)
    SequenceScaler(per_sample=True).fit_transform(padded)
    np.testing.assert_array_equal(padded, before)
    assert not np.shares_memory(Xt, padded)
    readonly = before.copy()
    readonly.flags.writeable = False
    scaler.transform(readonly)


def test_per_sample_scales_each_sample_by_itself(padded):
    scaler = SequenceScaler(per_sample=True).fit(padded[:3])
    Xt = scaler.transform(padded)
    for i in (0, 15, 29):
        observed = padded[i][~np.isnan(padded[i]).all(axis=1)]
        expected = (observed - observed.mean(axis=0)) / observed.std(axis=0)
        np.testing.assert_allclose(Xt[i][~np.isnan(padded[i]).all(axis=1)], expected)
    # Stateless: what fit saw does not matter, and nothing is stored.
    np.testing.assert_allclose(
        SequenceScaler(per_sample=True).fit(padded[10:]).transform(padded), Xt
    )
    assert not hasattr(scaler, "center_")


def test_per_sample_has_no_inverse():
    scaler = SequenceScaler(per_sample=True).fit(np.ones((2, 3)))
    assert not hasattr(scaler, "inverse_transform")
    with pytest.raises(AttributeError, match="inverse_transform"):
        scaler.inverse_transform(np.ones((2, 3)))
    assert hasattr(SequenceScaler().fit(np.ones((2, 3))), "inverse_transform")


def test_per_sample_minmax_and_all_padding_sample():
    X = np.array(
        [[[1.0], [3.0], [5.0]], [[np.nan], [np.nan], [np.nan]], [[2.0], [2.0], [2.0]]]
    )
    Xt = SequenceScaler(method="minmax", per_sample=True).fit_transform(X)
    np.testing.assert_allclose(Xt[0, :, 0], [0.0, 0.5, 1.0])
    assert np.isnan(Xt[1]).all()
    np.testing.assert_allclose(Xt[2, :, 0], 0.0)  # constant: scale 1


@st.composite
def padded_sequences(draw):
    n_samples = draw(st.integers(1, 6))
    n_timesteps = draw(st.integers(1, 8))
    n_features = draw(st.integers(1, 3))
    values = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
    X = draw(
        hnp.arrays(np.float64, (n_samples, n_timesteps, n_features), elements=values)
    )
    lengths = draw(
        st.lists(st.integers(0, n_timesteps), min_size=n_samples, max_size=n_samples)
    )
    assume(any(lengths))
    for i, length in enumerate(lengths):
        X[i, : n_timesteps - length] = np.nan
    return X


@settings(max_examples=100, deadline=None)
@given(X=padded_sequences(), method=st.sampled_from(["standard", "minmax"]))
def test_inverse_transform_undoes_transform(X, method):
    scaler = SequenceScaler(method=method).fit(X)
    Xt = scaler.transform(X)
    back = scaler.inverse_transform(Xt)
    tol = 1e-9 * max(1.0, np.nanmax(np.abs(X)))
    np.testing.assert_allclose(back, X, rtol=0, atol=tol, equal_nan=True)
    assert np.array_equal(np.isnan(back), np.isnan(X))
    if method == "minmax":
        observed = Xt[~np.isnan(Xt)]
        assert observed.min() >= -1e-12
        assert observed.max() <= 1 + 1e-12


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (
            np.array([[[1.0, np.nan], [2.0, 3.0]]]),
            r"NaN in some but not all features of a time step",
        ),
        (np.array([[1.0, np.nan, 3.0]]), r"NaN inside a sequence"),
        (np.array([[1.0, np.inf, 3.0]]), r"contains infinity"),
        (np.full((2, 3), np.nan), r"contains only NaN: every time step is padding"),
        # sklearn's advice, reshape(-1, 1), would make 5 one-step sequences
        (
            np.ones(5),
            r"X is 1-D \(5 values\).*Reshape your data: for one sequence, X.reshape",
        ),
    ],
)
def test_bad_input_is_refused_and_left_unchanged(X, match):
    before = X.copy()
    with pytest.raises(ValueError, match=match):
        SequenceScaler().fit(X)
    np.testing.assert_array_equal(X, before)


def test_transform_checks_the_fitted_features():
    scaler = SequenceScaler().fit(np.ones((4, 5, 2)))
    with pytest.raises(
        ValueError,
        match=r"3 features per time step, but SequenceScaler is expecting 2",
    ):
        scaler.transform(np.ones((4, 5, 3)))
    with pytest.raises(ValueError, match=r"3 features per time step"):
        scaler.inverse_transform(np.ones((4, 5, 3)))


def test_sequences_of_any_length_are_scaled():
    # A pipeline into a network (which predicts any length) refused a
    # sequence longer than the longest seen in fit.
    rng = np.random.default_rng(0)
    train = [rng.normal(size=(n, 2)) for n in (3, 5, 6)]
    scaler = SequenceScaler().fit(train)
    longer = [rng.normal(size=(9, 2)), rng.normal(size=(4, 2))]
    out = scaler.transform(longer)
    assert out.shape == (2, 9, 2)
    np.testing.assert_allclose(out[0], (longer[0] - scaler.center_) / scaler.scale_)
    np.testing.assert_allclose(scaler.inverse_transform(out)[0], longer[0])
    assert scaler.transform(rng.normal(size=(3, 8, 2))).shape == (3, 8, 2)


def test_bad_parameters_are_refused_in_fit():
    with pytest.raises(
        InvalidParameterError,
        match=r"'method' parameter of SequenceScaler must be a str among",
    ):
        SequenceScaler(method="robust").fit(np.ones((2, 3)))
    with pytest.raises(InvalidParameterError, match=r"'per_sample' parameter"):
        SequenceScaler(per_sample="yes").fit(np.ones((2, 3)))


def test_feature_names_of_3d_input_are_those_of_the_last_axis():
    scaler = SequenceScaler().fit(np.ones((2, 3, 2)))
    assert list(scaler.get_feature_names_out()) == ["x0", "x1"]
    assert list(scaler.get_feature_names_out(["temp", "wind"])) == ["temp", "wind"]
    with pytest.raises(
        ValueError,
        match=(
            r"input_features should have length equal to the number of "
            r"features per time step \(2\)"
        ),
    ):
        scaler.get_feature_names_out(["temp"])


def test_feature_names_of_2d_input_are_its_columns():
    df = pd.DataFrame(np.ones((3, 4)), columns=["t0", "t1", "t2", "t3"])
    assert list(SequenceScaler().fit(df).get_feature_names_out()) == [
        "t0",
        "t1",
        "t2",
        "t3",
    ]
    # scikit-learn's own checks of one-to-one transformers hold for 2-D input.
    check_transformer_get_feature_names_out("SequenceScaler", SequenceScaler())
    check_transformer_get_feature_names_out_pandas("SequenceScaler", SequenceScaler())


def test_set_output_pandas_gives_a_dataframe_for_2d_output_only():
    # Issue 11 item 7: like scikit-learn's scalers for 2-D output; 3-D output
    # cannot be a DataFrame and stays a NumPy array.
    rng = np.random.default_rng(0)
    sequences = pd.DataFrame(
        rng.normal(size=(6, 4)),
        columns=[f"t{i}" for i in range(4)],
        index=list("abcdef"),
    )
    expected = SequenceScaler().fit_transform(sequences)
    scaler = SequenceScaler().set_output(transform="pandas")
    out = scaler.fit_transform(sequences)
    assert isinstance(out, pd.DataFrame)
    assert out.index.tolist() == list("abcdef")
    assert out.columns.tolist() == ["t0", "t1", "t2", "t3"]
    np.testing.assert_allclose(out.to_numpy(), expected)
    # inverse_transform is not wrapped, as in scikit-learn.
    assert isinstance(scaler.inverse_transform(out), np.ndarray)
    three_d = rng.normal(size=(6, 4, 2))
    assert isinstance(scaler.fit_transform(three_d), np.ndarray)
    assert isinstance(
        scaler.set_output(transform="default").fit_transform(sequences), np.ndarray
    )


def test_a_rectangular_list_is_2d_unless_fitted_on_sequences_of_any_length():
    # X.tolist() is scikit-learn's 2-D array-like: it came out 3-D.
    X = np.random.default_rng(0).normal(size=(20, 5))
    scaler = SequenceScaler().fit(X.tolist())
    np.testing.assert_allclose(scaler.transform(X.tolist()), scaler.transform(X))
    assert scaler.transform(X[:3].tolist()).shape == (3, 5)
    ragged = SequenceScaler().fit([np.ones(3), np.arange(4.0)])
    assert ragged.transform([np.ones(4), np.ones(4)]).shape == (2, 4, 1)


def test_pandas_output_of_2d_input_after_a_3d_fit_names_its_time_steps():
    # The names were sized from fit (one feature): pandas refused the frame,
    # "Shape of passed values is (3, 5), indices imply (3, 1)".
    rng = np.random.default_rng(0)
    scaler = SequenceScaler().set_output(transform="pandas")
    scaler.fit(rng.normal(size=(4, 5, 1)))
    out = scaler.transform(rng.normal(size=(3, 5)))
    assert out.columns.tolist() == ["x0", "x1", "x2", "x3", "x4"]
