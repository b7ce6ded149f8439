"""Typed wrappers of ``numba.njit`` for the recursive-filter kernels (ADR 0008).

Every compiled kernel of the forecasting package is declared with ``compiled`` (one
series at a time, called from other kernels) or ``compiled_parallel`` (the entry points,
a ``prange`` loop over series). Both keep the decorated function's signature for mypy
(numba ships no type stubs) and fix the options for the whole package:

* ``cache=True``: machine code is written next to the module (``__pycache__``), or
  under ``NUMBA_CACHE_DIR`` when set, or in the user-wide cache (``~/.cache/numba``)
  when the package directory is read-only; the first call in a fresh environment
  compiles (see ADR 0008 for the measured seconds).
* ``error_model="numpy"``: a float division by zero gives inf or NaN as in numpy,
  never ``ZeroDivisionError``.
* no ``fastmath``: every operation is rounded as written, so results are reproducible
  and equal the scalar reference implementations of the tests.
* ``nogil=True``: threads of the caller (a Dask worker, for example) are not blocked.

Cache invalidation follows the source of the module that defines a kernel only, so a
compiled function calls compiled functions of its own module, never of another one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import numba

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")


def compiled(function: Callable[Parameters, Result]) -> Callable[Parameters, Result]:
    """``numba.njit`` with the package's options; the signature is kept for mypy."""
    jitted = numba.njit(cache=True, error_model="numpy", nogil=True)(function)
    return cast(Callable[Parameters, Result], jitted)


def compiled_parallel(function: Callable[Parameters, Result]) -> Callable[Parameters, Result]:
    """``compiled`` with ``parallel=True``: ``numba.prange`` loops run on numba's threads
    (``NUMBA_NUM_THREADS``, default one per core; ``numba.set_num_threads`` lowers it)."""
    jitted = numba.njit(cache=True, error_model="numpy", nogil=True, parallel=True)(function)
    return cast(Callable[Parameters, Result], jitted)
