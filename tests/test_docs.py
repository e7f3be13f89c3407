"""The documentation's code runs and its API reference is complete.

Building the documentation (which runs the gallery examples) is too slow for
the default test run; CI builds it in ``.ci/run``. Here:

- every docstring example (doctest) in skrnn's modules runs and gives the
  output it shows; the examples use tiny, seeded networks;
- the ``>>>`` examples of the user guide pages run too;
- the API reference lists every public name;
- (slow) every gallery example runs as a script.
"""

import ast
import doctest
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import skrnn

DOCS = Path(__file__).resolve().parents[1] / "docs"
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS

# Modules not imported to collect their doctests: importing them has effects
# (TensorFlow, the command line's exit). They must not hold examples.
NOT_IMPORTED = {"skrnn.__main__", "skrnn.rnn._keras"}


def _module_names():
    names = ["skrnn"]
    names += [
        info.name for info in pkgutil.walk_packages(skrnn.__path__, prefix="skrnn.")
    ]
    return sorted(names)


def _docstring_examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = {}
    for name in _module_names():
        if name in NOT_IMPORTED:
            continue
        module = importlib.import_module(name)
        for test in finder.find(module):
            if test.examples:
                tests.setdefault(test.name, test)
    return [tests[name] for name in sorted(tests)]


DOCSTRING_EXAMPLES = _docstring_examples()


def _run(test):
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    output = []
    # The examples must not depend on earlier ones or leak into later ones.
    test.globs = dict(test.globs)
    result = runner.run(test, out=output.append, clear_globs=True)
    assert result.failed == 0, "".join(output)


@pytest.mark.parametrize("test", DOCSTRING_EXAMPLES, ids=lambda test: test.name)
def test_docstring_examples_run(test):
    _run(test)


def test_every_public_object_has_docstring_examples():
    """Every public class and function shows how to use it (STYLE.md rule 8)."""
    documented = {test.name for test in DOCSTRING_EXAMPLES}
    missing = []
    for name, obj in _public_objects().items():
        if not callable(obj) or name.endswith("DieboldMarianoResult"):
            continue  # a data mapping; a result tuple shown by diebold_mariano
        qualified = f"{obj.__module__}.{obj.__qualname__}"
        if qualified not in documented:
            missing.append(name)
    assert not missing, f"Public objects without docstring examples: {missing}"


@pytest.mark.parametrize("name", sorted(NOT_IMPORTED))
def test_modules_left_out_have_no_examples(name):
    spec = importlib.util.find_spec(name)
    source = Path(spec.origin).read_text(encoding="utf-8")
    docstrings = [
        ast.get_docstring(node) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
    ]
    assert not any(">>>" in text for text in docstrings)


# -- the user guide ---------------------------------------------------------

GUIDE_PAGES = sorted(
    path
    for path in DOCS.glob("**/*.rst")
    if not {"_build", "auto_examples", "gen_modules", "_templates"}
    & set(path.relative_to(DOCS).parts)
    and ">>>" in path.read_text(encoding="utf-8")
)


@pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ folder (installed package)")
@pytest.mark.parametrize(
    "path", GUIDE_PAGES, ids=lambda path: str(path.relative_to(DOCS))
)
def test_guide_examples_run(path):
    text = path.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    _run(parser.get_doctest(text, {}, path.name, str(path), 0))


# -- the API reference -------------------------------------------------------


def _public_objects():
    """Every public object by its shortest public name."""
    objects = {}
    for name in skrnn.__all__:
        obj = getattr(skrnn, name)
        if name == "__version__" or type(obj).__name__ == "module":
            continue
        objects[f"skrnn.{name}"] = obj
    seen = {id(obj) for obj in objects.values()}
    for package in sorted(skrnn._SUBPACKAGES):
        module = importlib.import_module(f"skrnn.{package}")
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) not in seen:
                objects[f"skrnn.{package}.{name}"] = obj
                seen.add(id(obj))
    return objects


def _api_reference_names():
    """Fully qualified names the API reference documents."""
    names = set()
    module = None
    in_autosummary = False
    for line in (DOCS / "api.rst").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(".. currentmodule::"):
            module = stripped.split("::")[1].strip()
        elif stripped.startswith(".. py:data::"):
            names.add(f"{module}.{stripped.split('::')[1].strip()}")
        if stripped.startswith(".. autosummary::"):
            in_autosummary = True
        elif in_autosummary:
            if line and not line[0].isspace():
                in_autosummary = False
            elif stripped and not stripped.startswith(":"):
                names.add(f"{module}.{stripped}")
    return names


def _resolve(name):
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(name)


@pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ folder (installed package)")
def test_api_reference_lists_every_public_name():
    documented = {id(_resolve(name)) for name in _api_reference_names()}
    missing = [
        name for name, obj in _public_objects().items() if id(obj) not in documented
    ]
    assert not missing, f"Public names missing from docs/api.rst: {missing}"


# -- the gallery --------------------------------------------------------------

EXAMPLES = sorted((DOCS / "examples").glob("plot_*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_gallery_example_runs(path, tmp_path):
    env = dict(os.environ, MPLBACKEND="agg", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]


# -- the benchmark pages -------------------------------------------------------


def test_wrapped_markdown_list_items_stay_one_item():
    # Runs where the docs' dependencies are installed (CI builds the docs
    # after the tests, so there the -W build checks the pages as well).
    pytest.importorskip("sphinx")
    sys.path.insert(0, str(DOCS / "sphinxext"))
    try:
        from skrnn_docs import markdown_to_rst
    finally:
        sys.path.remove(str(DOCS / "sphinxext"))
    text = "Intro.\n\n* `a`: first,\n  wrapped `b`;\n* second.\n\nAfter.\n"
    assert markdown_to_rst(text) == [
        "Intro.",
        "",
        "- ``a``: first, wrapped ``b``;",
        "- second.",
        "",
        "After.",
        "",
    ]
