"""Saved estimators record the versions that wrote them."""

import functools
import warnings
from importlib.metadata import PackageNotFoundError, version

from sklearn.exceptions import InconsistentVersionWarning as _SklearnVersionWarning

from ._warnings import user_stacklevel

__all__ = ["InconsistentVersionWarning", "SavedVersionMixin"]


@functools.cache
def installed_version(package):
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - a source tree
        return None


class InconsistentVersionWarning(_SklearnVersionWarning):
    """An estimator saved by other versions of skrnn, Keras or statsmodels
    was loaded.

    A subclass of scikit-learn's warning of the same name, so that one filter
    catches both (``warnings.simplefilter("error", InconsistentVersionWarning)``
    with scikit-learn's class). Its scikit-learn attributes hold the installed
    scikit-learn version: scikit-learn objects inside an estimator (scalers)
    check their own.
    """

    def __init__(self, *, estimator_name, saved, installed):
        sklearn_version = installed_version("scikit-learn")
        super().__init__(
            estimator_name=estimator_name,
            current_sklearn_version=sklearn_version,
            original_sklearn_version=sklearn_version,
        )
        self.saved, self.installed = saved, installed

    def __str__(self):
        changed = ", ".join(
            (
                f"{package} {self.saved[package]}"
                if self.saved.get(package)
                else f"a {package} that recorded no version"
            )
            + f" (installed: {self.installed[package]})"
            for package in self.installed
        )
        rebuilt = (
            " a network is rebuilt from its parameters by the installed Keras."
            if "keras" in self.saved
            else " its fitted state was made by the saved ones."
        )
        return (
            f"This {self.estimator_name} was saved with {changed}. Its "
            f"predictions may differ or fail:{rebuilt} Fit it again with the "
            "installed versions, or load it where the saved ones are installed."
        )


class SavedVersionMixin:
    """A pickle records the skrnn version that wrote it (and the versions of
    the libraries that made its fitted state, see ``_versions``); loading it
    under other versions warns, as scikit-learn does for its own estimators
    (whose check skips skrnn's). Subclasses that rebuild state when loaded
    override ``_load_state``, which runs after the check."""

    def _versions(self):
        return {"skrnn": installed_version("skrnn")}

    def __getstate__(self):
        state = super().__getstate__()
        return dict(state, _skrnn_versions=self._versions())

    def __setstate__(self, state):
        state = dict(state)
        # A pickle without the record was written before skrnn kept one.
        saved = state.pop("_skrnn_versions", {"skrnn": None})
        current = {package: installed_version(package) for package in saved}
        changed = {
            package: current[package]
            for package in saved
            if saved[package] != current[package]
        }
        if changed:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__, saved=saved, installed=changed
                ),
                stacklevel=user_stacklevel(),
            )
        self._load_state(state)

    def _load_state(self, state):
        super().__setstate__(state)
