"""Validation of sequence input shared by the estimators and transformers.

skrnn accepts sequences as 2-D arrays (n_samples, n_timesteps) of univariate
sequences, 3-D arrays (n_samples, n_timesteps, n_features), NaN-padded 3-D
arrays, and lists of arrays of different lengths. Everything is brought to one
float 3-D array in which padding is a time step whose features are all NaN.
"""

import numbers

import numpy as np
from sklearn.utils.validation import check_array, validate_data

__all__ = ["check_sequences", "empty_sequences", "padding_mask"]


def _is_sequence_list(X):
    """True for a non-empty list/tuple of sequences (not of scalars).

    Such input is padded like variable-length sequences; sequences of equal
    length give exactly the array ``np.asarray(X)`` would.
    """
    return (
        isinstance(X, (list, tuple))
        and len(X) > 0
        and not any(isinstance(seq, (numbers.Number, str)) for seq in X)
    )


def _pad_sequences(X, n_timesteps=None):
    """Pre-pad a list of variable-length sequences with NaN into a 3-D array."""
    seqs = []
    for i, seq in enumerate(X):
        arr = np.asarray(seq, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, np.newaxis]
        if arr.ndim != 2:
            raise ValueError(
                "Each sequence in a list must be 1-D (n_timesteps,) or 2-D "
                f"(n_timesteps, n_features). Got sequence {i} with shape "
                f"{arr.shape} instead."
            )
        seqs.append(arr)
    n_features = {arr.shape[1] for arr in seqs}
    if len(n_features) > 1:
        raise ValueError(
            "All sequences must have the same number of features. Got "
            f"{sorted(n_features)} features instead."
        )
    longest = max(len(arr) for arr in seqs)
    if n_timesteps is None:
        n_timesteps = longest
    elif longest > n_timesteps:
        raise ValueError(
            f"X has a sequence of {longest} time steps, but the estimator was "
            f"fitted on sequences of at most {n_timesteps} time steps."
        )
    out = np.full((len(seqs), n_timesteps, n_features.pop()), np.nan)
    for i, arr in enumerate(seqs):
        if len(arr):
            out[i, n_timesteps - len(arr) :] = arr
    return out


def empty_sequences(X):
    """Positions of the zero-length sequences of a list of sequences.

    An empty array in a list says "this sequence has no time step"; after
    padding it cannot be told from padding, so callers that must refuse it
    ask here first. Anything that is not a list of sequences has none.
    """
    if not _is_sequence_list(X):
        return []
    return [i for i, seq in enumerate(X) if np.shape(seq)[:1] == (0,)]


def padding_mask(X):
    """Boolean (n_samples, n_timesteps) array, True where a step is padding."""
    return np.isnan(X).all(axis=-1)


def end_alignment(X):
    """Time-step indices (n_samples, n_timesteps) that move every sequence's
    padding to its start, so that all sequences end at the last step (where a
    strided convolution's grid ends); None when none is padded at its end.
    ``X[np.arange(n)[:, None], steps]`` is the aligned array."""
    if X.shape[1] == 0:
        return None
    observed = ~padding_mask(X)
    trailing = observed[:, ::-1].argmax(axis=1)  # padded steps after the last
    if not trailing.any():
        return None
    return (np.arange(X.shape[1]) - trailing[:, np.newaxis]) % X.shape[1]


def end_aligned(X):
    """X with its sequences end-aligned (see :func:`end_alignment`): a copy
    where some sequence is padded at its end, else X itself."""
    steps = end_alignment(X)
    if steps is None:
        return X
    return X[np.arange(len(X))[:, np.newaxis], steps]


def _check_finite_except_padding(X):
    if np.isinf(X).any():
        sample, step = np.argwhere(np.isinf(X).any(axis=-1))[0]
        raise ValueError(
            "Input X contains infinity (first at sample "
            f"{sample}, time step {step}). Replace or drop infinite values "
            "before fitting."
        )
    missing = np.isnan(X)
    if not missing.any():
        return
    padding = missing.all(axis=-1)
    partial = missing.any(axis=-1) & ~padding
    if partial.any():
        sample, step = np.argwhere(partial)[0]
        raise ValueError(
            "Input X contains NaN in some but not all features of a time step "
            f"(first at sample {sample}, time step {step}). A time step is "
            "padding only when all of its features are NaN; impute missing "
            "values first (e.g. with pandas' interpolate)."
        )
    observed = ~padding
    seen_before = np.maximum.accumulate(observed, axis=1)
    seen_after = np.maximum.accumulate(observed[:, ::-1], axis=1)[:, ::-1]
    interior = padding & seen_before & seen_after
    if interior.any():
        sample, step = np.argwhere(interior)[0]
        raise ValueError(
            "Input X contains NaN inside a sequence (first at sample "
            f"{sample}, time step {step}). NaN marks padding only at the start "
            "or end of a sequence; impute missing values first (e.g. with "
            "pandas' interpolate)."
        )


def _validate_2d_width(estimator, X, validate_kwargs, any_length):
    """``validate_data`` for prediction input; for an estimator that reads any
    length, a refused 2-D width gets the way to pass other lengths."""
    try:
        return validate_data(estimator, X, **validate_kwargs)
    except ValueError as exc:
        if not (any_length and "features, but" in str(exc)):
            raise
        n_features = estimator.sequence_shape_[1]
        if n_features > 1:  # a 2-D X cannot hold such sequences
            raise ValueError(
                f"X is 2-D, but {type(estimator).__name__} reads sequences of "
                f"{n_features} features per time step, 3-D (n_samples, "
                f"n_timesteps, {n_features}) or a list of 2-D arrays. For one "
                "sequence of shape (n_timesteps, n_features), pass "
                f"X[np.newaxis]. Got X of shape {np.shape(X)} instead."
            ) from exc
        raise ValueError(
            f"{exc} A 2-D X holds univariate sequences, one column per time "
            "step, and scikit-learn counts its columns as features. "
            f"{type(estimator).__name__} reads sequences of any length: pass "
            "them 3-D, e.g. X[:, :, np.newaxis], or as a list of arrays."
        ) from exc


def _refuse_one_dimension(estimator, X):
    """A 1-D X is one series, one sequence, documents, or sequences in an
    object array, not a set of numeric sequences: each gets its own fix
    (scikit-learn's advice, ``reshape(-1, 1)``, would make one-step
    sequences of its values)."""
    if _is_sequence_list(X) or getattr(X, "ndim", 1) != 1:
        return  # arrays and frames of 2 or more dimensions: nothing to convert
    try:
        # np.asarray, not np.ndim: array-likes that only convert (__array__)
        values = np.asarray(X)
    except ValueError:  # ragged: the checks below name it
        return
    if values.ndim != 1:
        return
    name = type(estimator).__name__
    if values.dtype.kind in "US" or (
        values.dtype.kind == "O" and len(values) and isinstance(values[0], str)
    ):
        raise ValueError(
            f"X holds text (e.g. {str(values[0])!r}), but {name} reads numbers. "
            "Turn documents into token ids first: make_pipeline(TextTokenizer(), "
            f"{name}(embedding_dim=32))."
        )
    if values.dtype.kind == "O":  # numpy: "setting an array element with a sequence"
        raise ValueError(
            f"X is a 1-D array of {len(values)} objects (e.g. a DataFrame column "
            f"of sequences), but {name} reads a list of sequences or a "
            "2-D/3-D numeric array. Pass list(X)."
        )
    raise ValueError(
        f"X is 1-D ({len(values)} values), but {name} reads sequences: 2-D "
        "(n_samples, n_timesteps), 3-D (n_samples, n_timesteps, n_features) or "
        "a list of arrays. Reshape your data: for one sequence, "
        "X.reshape(1, -1); to cut one series into windows, skrnn.make_windows "
        "(or skrnn.RecursiveForecaster to forecast it)."
    )


def check_sequences(
    estimator,
    X,
    y="no_validation",
    *,
    reset,
    dtype=np.float32,
    any_length=False,
    **y_kwargs,
):
    """Validate sequence input and return it as a float 3-D array.

    Parameters
    ----------
    estimator : estimator instance
        The estimator the data is validated for. With ``reset=True`` its
        ``n_features_in_`` (the length of axis 1, as in scikit-learn),
        ``feature_names_in_`` and ``sequence_shape_`` are set; with
        ``reset=False`` the input is checked against them.
    X : array-like or list of array-like
        2-D (n_samples, n_timesteps), 3-D (n_samples, n_timesteps,
        n_features), NaN-padded 3-D, or a list of variable-length sequences.
    y : array-like, None or "no_validation", default="no_validation"
        Targets, validated by scikit-learn's ``validate_data`` (which refuses
        ``None`` for estimators that require y). "no_validation" means
        there is no y to check, as in ``predict``.
    reset : bool
        Whether this is a call from ``fit``.
    dtype : numpy dtype, default=np.float32
        Dtype of the returned array.
    any_length : bool, default=False
        Only with ``reset=False``: accept sequences of any number of time
        steps (a list is padded to its own longest sequence, a 3-D array may
        have another length), checking only the number of features per step.
        For estimators that read any length, as a recurrent network does.
        A 2-D X keeps scikit-learn's contract (its columns are the fitted
        features) and must have the fitted width. With False, sequences must
        have the fitted length; shorter ones in a list are padded to it.
    **y_kwargs : dict
        Passed to ``validate_data`` (``y_numeric``, ``multi_output``).

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        A new array or the input itself when no conversion was needed: never
        write into it.
    y : ndarray
        Only when ``y`` is not "no_validation".
    """
    fitted_shape = None if reset else getattr(estimator, "sequence_shape_", None)
    any_length = any_length and fitted_shape is not None
    _refuse_one_dimension(estimator, X)
    if _is_sequence_list(X):
        fixed = None if fitted_shape is None or any_length else fitted_shape[0]
        X = _pad_sequences(X, fixed)
    elif (
        fitted_shape is not None
        and not any_length
        and getattr(X, "ndim", None) == 3
        and tuple(X.shape[1:]) != tuple(fitted_shape)
    ):
        raise ValueError(
            f"X has sequences of shape {tuple(X.shape[1:])} (n_timesteps, "
            f"n_features), but {type(estimator).__name__} is expecting "
            f"sequences of shape {tuple(fitted_shape)} as input."
        )

    validate_kwargs = dict(
        reset=reset, allow_nd=True, dtype=dtype, ensure_all_finite=False
    )
    no_y = isinstance(y, str) and y == "no_validation"
    if any_length and no_y and getattr(X, "ndim", None) == 3:
        # scikit-learn counts axis 1 as the features; for 3-D sequences it is
        # the time axis, which may have any length here. The features per
        # step are compared below.
        X = check_array(
            X, allow_nd=True, dtype=dtype, ensure_all_finite=False, input_name="X"
        )
    elif no_y:
        X = _validate_2d_width(estimator, X, validate_kwargs, any_length)
    else:
        X, y = validate_data(estimator, X, y, **validate_kwargs, **y_kwargs)

    if X.ndim == 2:
        X = X[:, :, np.newaxis]
    elif X.ndim != 3:
        raise ValueError(
            "Expected 2-D (n_samples, n_timesteps) or 3-D (n_samples, "
            f"n_timesteps, n_features) input. Got {X.ndim}-D input instead."
        )
    if reset:
        estimator.sequence_shape_ = tuple(X.shape[1:])
    elif fitted_shape is not None and X.shape[2] != fitted_shape[1]:
        raise ValueError(
            f"X has {X.shape[2]} features per time step, but "
            f"{type(estimator).__name__} is expecting {fitted_shape[1]} "
            "features per time step as input."
        )
    _check_finite_except_padding(X)
    return X if no_y else (X, y)
