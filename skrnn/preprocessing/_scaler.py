"""SequenceScaler: standard or min-max scaling of sequences per feature."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from .._pickling import SavedVersionMixin
from .._state import restore_on_error
from .._validation import check_sequences, padding_mask
from ._output import ThreeDOutputMixin

__all__ = ["SequenceScaler"]


def _is_univariate_form(X, fitted=None):
    """True when X is 2-D (n_samples, n_timesteps): such input is returned in
    the same 2-D form; anything else as 3-D.

    A list is 2-D when its sequences are 1-D and of one length (as
    ``X.tolist()``), and the scaler was fitted on that form (``fitted``, the
    form of fit; None in fit itself). A list of sequences of different
    lengths is 3-D, and so is every list after a fit on one: as 2-D, its
    width would be the longest sequence of each call, which a network after
    it reads as its number of columns (and refuses at another width).
    """
    if isinstance(X, (list, tuple)):
        lengths = {len(seq) if np.ndim(seq) == 1 else None for seq in X}
        rectangular = len(X) > 0 and len(lengths) == 1 and None not in lengths
        return rectangular and fitted is not False
    ndim = getattr(X, "ndim", None)
    if ndim is None:
        ndim = np.asarray(X).ndim
    return ndim == 2


def _masked_stats(X, axis, method):
    """Centre and scale of X along ``axis``, ignoring NaN (padding).

    Returns arrays with ``axis`` kept (length 1). Where there is no observed
    value both are NaN; constant features get a scale of 1.
    """
    observed = ~np.isnan(X)
    count = observed.sum(axis=axis, keepdims=True)
    has_data = count > 0
    nan = np.full(count.shape, np.nan)
    if method == "standard":
        total = np.where(observed, X, 0.0).sum(axis=axis, keepdims=True)
        center = np.divide(total, count, out=nan.copy(), where=has_data)
        squares = np.where(observed, X - center, 0.0) ** 2
        var = np.divide(
            squares.sum(axis=axis, keepdims=True), count, out=nan.copy(), where=has_data
        )
        # A constant feature has a variance of rounding errors only: bound them
        # by the error of summing `count` values of size |center|.
        eps = np.finfo(np.float64).eps
        constant = var <= count * eps * var + (count * center * eps) ** 2
        scale = np.sqrt(var)
    else:
        low = np.where(observed, X, np.inf).min(axis=axis, keepdims=True)
        high = np.where(observed, X, -np.inf).max(axis=axis, keepdims=True)
        center = np.where(has_data, low, np.nan)
        scale = np.where(has_data, high - low, np.nan)
        constant = scale == 0
    return center, np.where(constant, 1.0, scale)


def _has_inverse(scaler):
    if scaler.per_sample:
        raise AttributeError(
            "inverse_transform is not available with per_sample=True: each "
            "sample is scaled by its own statistics, which are not stored."
        )
    return True


class SequenceScaler(
    ThreeDOutputMixin,
    TransformerMixin,
    SavedVersionMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Scale sequences per feature, ignoring padding.

    Standard (zero mean, unit variance) or min-max ([0, 1]) scaling of 3-D
    sequences (n_samples, n_timesteps, n_features), one centre and scale per
    feature (last axis) computed over all samples and time steps of the
    training data. Padding (time steps whose features are all NaN) is left
    out of the statistics and stays NaN.

    Parameters
    ----------
    method : {"standard", "minmax"}, default="standard"
        "standard" subtracts the mean and divides by the standard deviation;
        "minmax" subtracts the minimum and divides by the range.

    per_sample : bool, default=False
        Scale each sample by the statistics of its own time steps instead of
        those of the training data. Nothing is learnt then, and there is no
        ``inverse_transform``.

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        Per-feature mean ("standard") or minimum ("minmax") of the training
        data. Not set with ``per_sample=True``.

    scale_ : ndarray of shape (n_features,)
        Per-feature standard deviation ("standard") or range ("minmax"), 1 for
        constant features. Not set with ``per_sample=True``.

    n_features_in_ : int
        Number of columns of X seen in fit: the number of time steps, as
        scikit-learn counts features of a 2-D or 3-D array.

    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame of univariate sequences.

    sequence_shape_ : tuple of int
        ``(n_timesteps, n_features)`` of the fitted sequences.

    See Also
    --------
    SlidingWindow : Turns a time table into windows to scale.
    sklearn.preprocessing.StandardScaler : The 2-D counterpart.

    Notes
    -----
    X may be 2-D (n_samples, n_timesteps) univariate sequences, returned 2-D,
    3-D (n_samples, n_timesteps, n_features), NaN-padded 3-D, or a list of
    sequences of different lengths, returned as a NaN-padded 3-D array (1-D
    sequences too, with one feature: the network after it reads such
    arrays of any length; so is every list after a fit on such a list, and
    a list of 1-D sequences of one length otherwise is 2-D). NaN other than
    padding and infinity are refused. The input is never modified. With
    ``set_output(transform="pandas")`` (or "polars"), a 2-D output
    (univariate sequences) is a DataFrame, as for scikit-learn's scalers; a
    3-D output stays a NumPy array, which is what no DataFrame can hold.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.preprocessing import SequenceScaler
    >>> X = np.array([[[1.0, 10.0], [3.0, 30.0]],
    ...               [[np.nan, np.nan], [5.0, 50.0]]])
    >>> scaler = SequenceScaler(method="minmax").fit(X)
    >>> scaler.center_, scaler.scale_
    (array([ 1., 10.]), array([ 4., 40.]))
    >>> scaler.transform(X)
    array([[[0. , 0. ],
            [0.5, 0.5]],
    <BLANKLINE>
           [[nan, nan],
            [1. , 1. ]]])
    >>> np.allclose(scaler.inverse_transform(scaler.transform(X)), X, equal_nan=True)
    True
    """

    _parameter_constraints: dict = {
        "method": [StrOptions({"standard", "minmax"})],
        "per_sample": ["boolean"],
    }

    def __init__(self, method="standard", *, per_sample=False):
        self.method = method
        self.per_sample = per_sample

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # allow_nan stays False: NaN is valid only as padding (all features of
        # a leading or trailing time step), not as a missing value anywhere.
        return tags

    def fit(self, X, y=None):
        """Compute the per-feature statistics of X.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences: 2-D (n_samples, n_timesteps) univariate, 3-D
            (n_samples, n_timesteps, n_features), NaN-padded 3-D, or a list
            of arrays of different lengths.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted scaler.
        """
        with restore_on_error(self):
            self._validate_params()
            self._univariate_input = _is_univariate_form(X)
            X = check_sequences(self, X, reset=True, dtype=np.float64)
            if padding_mask(X).all():
                raise ValueError(
                    "X contains only NaN: every time step is padding, so there "
                    "is nothing to compute scaling statistics from."
                )
            if not self.per_sample:
                center, scale = _masked_stats(
                    X.reshape(-1, X.shape[-1]), axis=0, method=self.method
                )
                self.center_ = center.ravel()
                self.scale_ = scale.ravel()
        return self

    def transform(self, X):
        """Scale X.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences in any of the forms accepted by ``fit``, with the
            fitted number of features per time step; 3-D arrays and lists
            may hold sequences of any length (2-D input keeps its fitted
            width: its columns are the time steps seen in fit).

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_timesteps, n_features) or \
(n_samples, n_timesteps)
            The scaled sequences, 2-D for univariate 2-D input; padding stays
            NaN.
        """
        check_is_fitted(self)
        univariate = _is_univariate_form(X, self._univariate_input)
        X_in = X
        # Statistics are per feature (or per sequence), not per time step: any
        # length scales, as the recurrent networks after it predict any length.
        X = check_sequences(self, X, reset=False, dtype=np.float64, any_length=True)
        if self.per_sample:
            center, scale = _masked_stats(X, axis=1, method=self.method)
        else:
            center, scale = self.center_, self.scale_
        Xt = (X - center) / scale
        return self._wrap_output(Xt[:, :, 0] if univariate else Xt, X_in)

    @available_if(_has_inverse)
    def inverse_transform(self, Xt):
        """Undo the scaling.

        Parameters
        ----------
        Xt : array-like or list of array-like
            Scaled sequences in any of the forms accepted by ``fit``.

        Returns
        -------
        X : ndarray of shape (n_samples, n_timesteps, n_features) or \
(n_samples, n_timesteps)
            Sequences in the original units, 2-D for univariate 2-D input;
            padding stays NaN.
        """
        check_is_fitted(self)
        univariate = _is_univariate_form(Xt, self._univariate_input)
        Xt = check_sequences(self, Xt, reset=False, dtype=np.float64, any_length=True)
        X = Xt * self.scale_ + self.center_
        return X[:, :, 0] if univariate else X

    def get_feature_names_out(self, input_features=None):
        """Get the names of the output features.

        Parameters
        ----------
        input_features : array-like of str, default=None
            After a fit on 2-D input (univariate sequences, one column per
            time step): the column names, as for any scikit-learn
            transformer. After a fit on 3-D input: the names of the features
            per time step (the last axis), e.g. from a preceding
            ``SlidingWindow``. By default ``feature_names_in_`` if known,
            else ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str
            The names, unchanged by scaling.
        """
        check_is_fitted(self)
        if self._univariate_input:
            return _check_feature_names_in(self, input_features)
        n_features = self.sequence_shape_[1]
        if input_features is None:
            return np.asarray([f"x{i}" for i in range(n_features)], dtype=object)
        input_features = np.asarray(input_features, dtype=object)
        if len(input_features) != n_features:
            raise ValueError(
                "input_features should have length equal to the number of "
                f"features per time step ({n_features}). Got "
                f"{len(input_features)} names instead."
            )
        return input_features
