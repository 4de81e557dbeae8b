"""Results computed once and shared by every session of a server process: for pure functions of
the read model's objects (a chart, a table as a page shows it). No Streamlit here.

Frames (and other unhashable objects) are keyed by identity, not by content: the read model's
frames are shared and never changed, so the same object means the same data, and hashing their
content instead costs more than most pages. Each entry keeps its inputs alive, so an id cannot be
reused while its entry exists."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import pandas as pd

_MEMO: OrderedDict[tuple, tuple[Any, tuple, dict, Any]] = OrderedDict()  # fn, args, kwargs, result
_MEMO_LOCK = threading.Lock()
MEMO_SIZE = 1024


def _identity(value: Any) -> Any:
    """A cache key part: plain values by value; a data frame, series or other unhashable object
    (the read model's figures) by identity: they are shared and never changed, so the same
    object means the same data."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return ("id", id(value))
    try:
        hash(value)
    except TypeError:
        if isinstance(value, list | tuple | dict | set):
            return ("repr", repr(value))
        return ("id", id(value))
    return value


def memo(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), computed once and shared. A page's own function is keyed by file and
    name (the page script is run anew each time). Callers must not change the result."""
    code = getattr(fn, "__code__", None)
    name = (code.co_filename, fn.__qualname__) if code else fn
    key = (name, *map(_identity, args), *((k, _identity(v)) for k, v in sorted(kwargs.items())))
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
        if hit is not None:
            _MEMO.move_to_end(key)
            return hit[3]
    result = fn(*args, **kwargs)
    with _MEMO_LOCK:
        _MEMO[key] = (fn, args, kwargs, result)
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return result


def clear_memo() -> None:
    """Forget every memoised result."""
    with _MEMO_LOCK:
        _MEMO.clear()
