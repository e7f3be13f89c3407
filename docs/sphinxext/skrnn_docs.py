"""Sphinx helpers of skrnn's documentation.

- ``.. benchmark-results:: NAME.md`` renders a Markdown file of
  ``benchmarks/results/`` (title, paragraphs, pipe tables) at build time, so
  the pages always show the results currently in the repository. With the
  ``:others:`` flag and no argument it renders every result file that no
  earlier directive of the same page rendered.
- ``.. command-help:: [SUBCOMMAND]`` shows the ``--help`` text of the ``skrnn``
  command line, generated from the parser at build time.
- :func:`report_figure_scraper`, a sphinx-gallery image scraper for
  matplotlib figures made without pyplot (``ComparisonReport.plot`` returns
  such figures).
"""

import contextlib
import io
import os
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>[^*]+)\*\*"
    r"|\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
_RST_SPECIAL = re.compile(r"([*`|_\\])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")


def _escape(text):
    return _RST_SPECIAL.sub(r"\\\1", text)


def _inline(text):
    """Markdown inline text (`code`, **bold**, [links](url)) as reStructuredText."""
    parts = []
    last = 0
    for match in _INLINE.finditer(text):
        parts.append(_escape(text[last : match.start()]))
        if match["code"] is not None:
            markup = f"``{match['code']}``"
        elif match["strong"] is not None:
            markup = f"**{_escape(match['strong'])}**"
        else:
            markup = f"`{_escape(match['text'])} <{match['url']}>`__"
        # reStructuredText needs markup apart from the words around it; an
        # escaped space separates it without showing.
        if match.start() > 0 and text[match.start() - 1].isalnum():
            markup = "\\ " + markup
        if match.end() < len(text) and text[match.end()].isalnum():
            markup += "\\ "
        parts.append(markup)
        last = match.end()
    parts.append(_escape(text[last:]))
    return "".join(parts)


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def markdown_to_rst(text, *, heading="rubric"):
    """The subset of Markdown the benchmarks write, as reStructuredText lines.

    Headings become rubrics (so they do not interfere with the page's
    sections), paragraphs stay paragraphs, and pipe tables become
    ``list-table`` directives.
    """
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if line.startswith("#"):
            out += [f".. {heading}:: {_inline(line.lstrip('#').strip())}", ""]
            i += 1
            continue
        if line.lstrip().startswith("|"):
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            # Drop the |---|:--:| line under the header.
            rows = [row for row in rows if not all(set(c) <= set(":- ") for c in row)]
            out += [".. list-table::", "   :header-rows: 1", ""]
            for row in rows:
                for j, cell in enumerate(row):
                    marker = "   * - " if j == 0 else "     - "
                    out.append(marker + (_inline(cell) or r"\ "))
            out.append("")
            continue
        if _LIST_ITEM.match(line):
            while i < len(lines) and _LIST_ITEM.match(lines[i]):
                item = [_LIST_ITEM.sub("", lines[i]).strip()]
                i += 1
                # Indented lines continue the item (an item wrapped in the file).
                while i < len(lines) and lines[i][:1].isspace() and lines[i].strip():
                    if _LIST_ITEM.match(lines[i]):
                        break
                    item.append(lines[i].strip())
                    i += 1
                out.append("- " + _inline(" ".join(item)))
            out.append("")
            continue
        paragraph = []
        while (
            i < len(lines)
            and lines[i].strip()
            and not lines[i].startswith("#")
            and not lines[i].lstrip().startswith("|")
            and not _LIST_ITEM.match(lines[i])
        ):
            paragraph.append(_inline(lines[i].strip()))
            i += 1
        out += [*paragraph, ""]
    return out


class BenchmarkResults(SphinxDirective):
    """Render Markdown result files of ``benchmarks/results/``."""

    optional_arguments = 1
    option_spec = {"others": directives.flag}

    def run(self):
        results = Path(self.env.srcdir).parent / "benchmarks" / "results"
        shown = self.env.temp_data.setdefault("skrnn_benchmark_results", set())
        if "others" in self.options:
            if self.arguments:
                raise self.error("benchmark-results takes no file with :others:.")
            paths = [p for p in sorted(results.glob("*.md")) if p.name not in shown]
            if not paths:
                return [nodes.paragraph(text="No other results yet.")]
        else:
            if not self.arguments:
                raise self.error("benchmark-results needs a file name or :others:.")
            paths = [results / self.arguments[0]]
        content = []
        for path in paths:
            if not path.is_file():
                raise self.error(f"benchmark-results: no result file {path}.")
            self.env.note_dependency(str(path))
            shown.add(path.name)
            content += markdown_to_rst(path.read_text(encoding="utf-8"))
        container = nodes.container(classes=["benchmark-results"])
        self.state.nested_parse(
            StringList(content, source=str(paths[0])), self.content_offset, container
        )
        return [container]


class CommandHelp(SphinxDirective):
    """The ``--help`` text of ``skrnn`` or of one of its subcommands."""

    optional_arguments = 1

    def run(self):
        from skrnn._cli import main

        argv = [*self.arguments, "--help"]
        out = io.StringIO()
        columns = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal's width
        try:
            with contextlib.redirect_stdout(out):
                status = main(argv)
        finally:
            if columns is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = columns
        if status != 0:
            raise self.error(f"skrnn {' '.join(argv)} exited with {status}.")
        command = " ".join(["skrnn", *argv])
        text = f"$ {command}\n{out.getvalue().rstrip()}"
        block = nodes.literal_block(text, text, language="text")
        return [block]


def report_figure_scraper(block, block_vars, gallery_conf):
    """Save matplotlib figures made without pyplot that a gallery block left.

    sphinx-gallery's matplotlib scraper only sees pyplot's figures. This
    scraper saves every other ``Figure`` among the example's global
    variables (and in dicts of them, such as ``report.plot()`` returns),
    including the value of a block's last expression, once each. It must run
    before the matplotlib scraper, so that pyplot's figures are recognised
    while they are still open.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    seen = block_vars.setdefault("skrnn_seen_figures", [])
    seen += [plt.figure(number) for number in plt.get_fignums()]

    def figures(value):
        if isinstance(value, Figure):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                if isinstance(item, Figure):
                    yield item

    new = []
    for value in list(block_vars["example_globals"].values()):
        for figure in figures(value):
            if not any(figure is other for other in seen + new):
                new.append(figure)
    paths = []
    for figure, path in zip(new, block_vars["image_path_iterator"], strict=False):
        figure.savefig(path)
        paths.append(path)
    seen += new
    if not paths:
        return ""
    return figure_rst(paths, gallery_conf["src_dir"])


def setup(app):
    app.add_directive("benchmark-results", BenchmarkResults)
    app.add_directive("command-help", CommandHelp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
