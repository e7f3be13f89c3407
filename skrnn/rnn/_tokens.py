"""Token-id input of the RNN estimators (``embedding_dim``).

Token ids are checked here and brought to skrnn's one sequence form, a float
3-D array with NaN padding, so that masking, variable lengths and per-step
targets work as for numeric sequences. The ids are replaced by their rows in
the embedding: 1 for an id not seen in ``fit`` (out of vocabulary), ``k + 2``
for the k-th smallest id seen; padding (id 0) becomes NaN.
"""

import numpy as np
import scipy.sparse as sp

from .._validation import _is_sequence_list

# Rows of the embedding before the fitted ids: padding, out of vocabulary.
PADDING_ROW, OOV_ROW, FIRST_TOKEN_ROW = 0, 1, 2
# The network reads the rows as float32, exact for integers below 2**24.
MAX_ROWS = 2**24


def _as_ids(values, where):
    """``values`` as int64 ids, refusing what is not a token id."""
    values = np.asarray(values)
    kind = values.dtype.kind
    if kind in "iu":
        ids = values.astype(np.int64)
    elif kind == "f":
        if np.isnan(values).any():
            raise ValueError(
                f"X holds NaN {where(np.isnan(values))}. With embedding_dim, "
                "X holds integer token ids and padding is 0, not NaN: replace "
                "NaN by 0, e.g. np.nan_to_num(X, nan=0)."
            )
        whole = np.isfinite(values) & (values == np.round(values))
        if not whole.all():
            raise ValueError(
                f"X holds {values[~whole].flat[0].item()!r}, which is not a "
                f"whole number {where(~whole)}. With embedding_dim, X holds integer "
                "token ids (0 for padding): pass ids, e.g. from "
                "skrnn.preprocessing.TextTokenizer, or set embedding_dim=None "
                "for numeric sequences."
            )
        ids = values.astype(np.int64)
    elif kind in "USO":
        example = values.flat[0] if values.size else None
        if isinstance(example, np.generic):
            example = example.item()
        raise ValueError(
            "With embedding_dim, X holds integer token ids. Got "
            f"{type(example).__name__} values (e.g. {example!r}) instead. "
            "Turn text into token ids first, e.g. make_pipeline("
            "TextTokenizer(), RNNClassifier(embedding_dim=32))."
        )
    else:
        raise ValueError(
            "With embedding_dim, X holds integer token ids. Got values of "
            f"dtype {values.dtype} instead."
        )
    if (ids < 0).any():
        raise ValueError(
            f"X holds the negative token id {ids[ids < 0].flat[0]} "
            f"{where(ids < 0)}. Token ids are >= 1, with 0 for padding: shift "
            "the ids so that the smallest real one is 1."
        )
    return ids


def _check_padding_at_ends(ids, position):
    """0 marks padding, at the start or end of a sequence only."""
    real = ids != 0
    if not real.any():
        return
    first, last = np.argmax(real), len(real) - 1 - np.argmax(real[::-1])
    inner = np.flatnonzero(~real[first:last])
    if len(inner):
        raise ValueError(
            f"X holds the padding id 0 between tokens ({position(first + inner[0])})"
            ". 0 marks padding, at the start or end of a sequence only. If 0 "
            "is one of your token ids, add 1 to every id (padding stays 0)."
        )


def check_token_ids(X):
    """Validated token ids: a list of 1-D int64 arrays, or a 2-D int64 array.

    Never writes into ``X``.
    """
    if sp.issparse(X):
        raise ValueError(
            "With embedding_dim, X holds token ids as a dense 2-D array or a "
            "list of 1-D arrays. Got a sparse matrix instead: pass X.toarray() "
            "or a list of arrays."
        )
    if _is_sequence_list(X):
        sequences = []
        for i, seq in enumerate(X):
            arr = np.asarray(seq)
            if arr.ndim != 1:
                raise ValueError(
                    "With embedding_dim, each sequence of a list holds token "
                    f"ids, 1-D (n_tokens,). Got sequence {i} of shape "
                    f"{arr.shape} instead."
                )
            if arr.size == 0:
                sequences.append(np.zeros(0, np.int64))
                continue
            ids = _as_ids(
                arr,
                lambda bad, i=i: (
                    f"(first at sequence {i}, position {np.flatnonzero(bad)[0]})"
                ),
            )
            _check_padding_at_ends(
                ids, lambda j, i=i: f"first at sequence {i}, position {j}"
            )
            sequences.append(ids)
        return sequences
    arr = X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = (
                " For sequences held in a pandas Series or an object array, "
                "pass list(X); for one sequence, [X]."
            )
        raise ValueError(
            "With embedding_dim, X holds token ids: a 2-D array (n_samples, "
            "n_tokens), 0 for padding, or a list of 1-D arrays of different "
            f"lengths. Got an array of shape {arr.shape} instead.{hint}"
        )
    ids = _as_ids(
        arr,
        lambda bad: "(first at sample {}, position {})".format(*np.argwhere(bad)[0]),
    )
    for i, row in enumerate(ids):
        _check_padding_at_ends(row, lambda j, i=i: f"first at sample {i}, position {j}")
    return ids


def fitted_token_ids(ids):
    """The sorted distinct token ids (padding left out) of checked ids."""
    if isinstance(ids, list):
        flat = np.concatenate([np.zeros(0, np.int64), *ids])
    else:
        flat = ids.ravel()
    token_ids = np.unique(flat[flat != 0])
    if not len(token_ids):
        raise ValueError(
            "X holds no token: every sequence is empty or all padding (0). "
            "There is nothing to learn from."
        )
    if len(token_ids) + FIRST_TOKEN_ROW > MAX_ROWS:
        raise ValueError(
            f"X holds {len(token_ids)} distinct token ids; the embedding takes "
            f"at most {MAX_ROWS - FIRST_TOKEN_ROW}. Cap the vocabulary, e.g. "
            "TextTokenizer(max_tokens=50000)."
        )
    return token_ids


def _rows(ids, token_ids):
    """Embedding rows of ``ids`` as float32, NaN for padding."""
    position = np.minimum(np.searchsorted(token_ids, ids), len(token_ids) - 1)
    known = token_ids[position] == ids
    rows = np.where(known, position + FIRST_TOKEN_ROW, OOV_ROW).astype(np.float32)
    rows[ids == 0] = np.nan
    return rows


def token_rows(ids, token_ids):
    """Checked ids as the network's input: a list of 1-D float arrays, or a
    3-D float array (n_samples, n_tokens, 1), NaN at padding."""
    if isinstance(ids, list):
        if not any(len(seq) for seq in ids):  # one padded step to read
            return np.full((len(ids), 1, 1), np.nan, np.float32)
        return [_rows(seq, token_ids) for seq in ids]
    return _rows(ids, token_ids)[:, :, np.newaxis]


def is_all_padding(ids):
    if isinstance(ids, list):
        return not any((seq != 0).any() for seq in ids)
    return not (ids != 0).any()
