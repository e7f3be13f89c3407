"""``set_output`` for transformers whose output may be 3-D.

scikit-learn's ``set_output`` wraps a transformer's 2-D output in a pandas
(or polars) DataFrame. ``SlidingWindow`` always returns 3-D windows and
``SequenceScaler`` returns 3-D sequences for 3-D input, which no DataFrame
can hold, so they cannot use scikit-learn's automatic wrapping. They still
take the setting, so that ``Pipeline(...).set_output(transform="pandas")``
(and ``sklearn.set_config(transform_output="pandas")``) work on a pipeline
that contains them: 2-D output is wrapped as scikit-learn's transformers
wrap theirs, 3-D output stays a NumPy array.
"""

import numpy as np
import pandas as pd
from sklearn import get_config

__all__ = ["ThreeDOutputMixin"]

_CONTAINERS = ("default", "pandas", "polars")


class ThreeDOutputMixin:
    """``set_output`` that wraps 2-D output and leaves 3-D output as NumPy."""

    def set_output(self, *, transform=None):
        """Set the container of the 2-D output of ``transform``.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            "pandas" or "polars": a 2-D output becomes a DataFrame with the
            columns of ``get_feature_names_out()`` (and, for pandas, the
            index of a DataFrame input). A 3-D output (windows, sequences)
            stays a NumPy array: no DataFrame can hold it. "default": NumPy
            output. None leaves the setting unchanged.

        Returns
        -------
        self : estimator instance
            The transformer.
        """
        if transform is None:
            return self
        if transform not in _CONTAINERS:
            raise ValueError(
                f"`transform` must be one of {', '.join(map(repr, _CONTAINERS))} "
                f"or None. Got {transform!r} instead."
            )
        self._sklearn_output_config = {"transform": transform}
        return self

    def _output_container(self):
        config = getattr(self, "_sklearn_output_config", {})
        return config.get("transform", get_config()["transform_output"])

    def _wrap_output(self, Xt, X):
        """``Xt`` in the configured container when it is 2-D."""
        container = self._output_container()
        if Xt.ndim != 2 or container == "default":
            return Xt
        columns = list(self.get_feature_names_out())
        if len(columns) != Xt.shape[1]:
            # 2-D output of a fit on 3-D sequences: its columns are time
            # steps, not the fitted features; named as a 2-D fit names them.
            columns = [f"x{i}" for i in range(Xt.shape[1])]
        if container == "pandas":
            index = X.index if isinstance(X, pd.DataFrame) else None
            return pd.DataFrame(Xt, index=index, columns=columns)
        import polars as pl

        return pl.DataFrame(np.asarray(Xt), schema=columns, orient="row")
