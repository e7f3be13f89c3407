"""Sphinx configuration of skrnn's documentation.

Build (from the repository root, with the ``docs`` extra installed)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Nothing is downloaded during the build. Set ``SKRNN_DOCS_RUN_EXAMPLES=0`` to
skip running the gallery examples for a quick look at the text.
"""

import os
import sys
from pathlib import Path

# TensorFlow's C++ start-up messages are noise in the build log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))

import skrnn  # noqa: E402

# -- Project ---------------------------------------------------------------

project = "skrnn"
author = "The skrnn developers"
copyright = "the skrnn developers"
release = skrnn.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "skrnn_docs",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "examples",  # sphinx-gallery turns them into auto_examples/
    "gen_modules/backreferences",
    "**.ipynb_checkpoints",
]
default_role = "literal"
nitpicky = False

# No network at build time: intersphinx is not enabled, so nothing is fetched.

# -- API reference ---------------------------------------------------------

autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# Docstring rules enforced by the build (warnings fail it with -W):
# GL06 unknown section, GL07 sections out of order, GL08 no docstring,
# PR01/PR02/PR03 parameters missing, unknown or out of signature order,
# PR10 "name : type" spacing, RT01/RT03 Returns section and its description,
# SS01/SS03/SS05/SS06 a one-line summary, ending with a period, starting
# with a verb in the infinitive for functions.
numpydoc_validation_checks = {
    "GL06",
    "GL07",
    "GL08",
    "PR01",
    "PR02",
    "PR03",
    "PR10",
    "RT01",
    "RT03",
    "SS01",
    "SS03",
    "SS05",
    "SS06",
}
numpydoc_validation_exclude = {
    # Members scikit-learn documents: skrnn does not override them.
    r"\.get_params$",
    r"\.set_params$",
    r"\.score$",
    r"\.fit_transform$",
    r"\.set_output$",
    r"\.get_metadata_routing$",
    r"\.set_fit_request$",
    r"\.set_score_request$",
    r"\.set_predict_request$",
    r"\.set_transform_request$",
    r"\.set_inverse_transform_request$",
    r"\.__init__$",
    r"\.__sklearn_tags__$",
    # A NamedTuple's fields and methods are documented by Python.
    r"DieboldMarianoResult\.",
}

# -- Examples (sphinx-gallery) -----------------------------------------------

run_examples = os.environ.get("SKRNN_DOCS_RUN_EXAMPLES", "1") != "0"

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": run_examples,
    "abort_on_example_error": True,
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("skrnn",),
    "reference_url": {"skrnn": None},
    "image_scrapers": ("skrnn_docs.report_figure_scraper", "matplotlib"),
    "remove_config_comments": True,
    "download_all_examples": False,
    "write_computation_times": False,
    "show_memory": False,
    "min_reported_time": 2,
}

# -- HTML ------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skrnn {release}"
html_static_path = []
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "getting_started": []}
html_show_sourcelink = False


# -- Members inherited from scikit-learn -------------------------------------

# Class pages show skrnn's own methods, including those inherited from skrnn's
# base classes. Methods defined by scikit-learn (get_params, set_params, score,
# fit_transform, set_output, the metadata-routing setters, ...) are left out:
# their docstrings refer to scikit-learn's own pages, and the API reference
# says where to find them.


def _defined_by_sklearn(obj):
    function = getattr(obj, "fn", obj)  # methods wrapped by available_if
    module = getattr(function, "__module__", None) or ""
    return module == "sklearn" or module.startswith("sklearn.")


def _skip_member(app, what, name, obj, skip, options):
    if what == "class" and _defined_by_sklearn(obj):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
