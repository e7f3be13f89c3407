"""``python -m skrnn``: the command line (see ``skrnn --help``)."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
