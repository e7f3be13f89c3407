"""Where skrnn's warnings point: at the user's line, not at skrnn's own."""

import os
import sys

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_stacklevel():
    """The ``stacklevel`` for ``warnings.warn`` that names the first caller
    outside skrnn.

    A fixed level names the caller only on one call path: a mixin's override
    or a helper in between moves it into skrnn (as pandas' ``find_stack_level``
    avoids too).
    """
    frame, level = sys._getframe(1), 1  # the function that warns
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
