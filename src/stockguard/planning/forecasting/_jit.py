"""Typed wrappers of ``numba.njit`` for the recursive-filter kernels (ADR 0008).

Every compiled kernel of the forecasting package is declared with ``compiled``, which
keeps the decorated function's signature for mypy (numba ships no type stubs) and fixes
the options for the whole package:

* ``cache=True``: machine code is written under ``NUMBA_CACHE_DIR`` when it is set,
  else next to the module (``__pycache__``), else, when the package directory is
  read-only, in the user-wide cache (``~/.cache/numba``). With no writable place at all
  the kernels are compiled in every process instead (no cache, same results). The first
  call in a fresh environment compiles (ADR 0008 gives the measured seconds).
* ``error_model="numpy"``: a float division by zero gives inf or NaN as in numpy,
  never ``ZeroDivisionError``.
* no ``fastmath``: every operation is rounded as written, so results are reproducible
  and equal the scalar reference implementations of the tests.
* ``nogil=True``: the kernels run on several threads at once (``run_blocks``).

Parallelism: a kernel entry point processes a range of blocks of series; ``run_blocks``
splits the blocks into chunks and runs them on ``thread_count()`` Python threads (the
compiled code releases the GIL). This replaces numba's ``parallel=True`` / ``prange``,
whose parallel regions took longer to compile than the kernels themselves (ADR 0008)
and whose default ``workqueue`` layer must not be entered from two threads at once.
Each series is computed by one thread with no cross-series reduction, so results do not
depend on the number of threads.

Cache invalidation follows the source of the module that defines a kernel only, so a
compiled function calls compiled functions of its own module, never of another one
(hence the small helpers repeated in each ``_*_kernels`` module).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import ParamSpec, TypeVar, cast

import numba

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")


CHUNKS_PER_THREAD = 8
"""Chunks of blocks per thread: small enough to balance uneven blocks between threads."""


def compiled(function: Callable[Parameters, Result]) -> Callable[Parameters, Result]:
    """``numba.njit`` with the package's options; the signature is kept for mypy."""
    try:
        jitted = numba.njit(cache=True, error_model="numpy", nogil=True)(function)
    except RuntimeError:  # "no locator available": nowhere writable to keep the cache
        jitted = numba.njit(cache=False, error_model="numpy", nogil=True)(function)
    return cast(Callable[Parameters, Result], jitted)


def thread_count() -> int:
    """Threads the kernels use: the CPUs this process may run on, capped by numba's own
    setting ``NUMBA_NUM_THREADS`` (environment variable; default the CPU count)."""
    if hasattr(os, "sched_getaffinity"):
        available = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - platforms without CPU affinity
        available = os.cpu_count() or 1
    configured = int(getattr(numba.config, "NUMBA_NUM_THREADS", available))
    return max(1, min(available, configured))


def run_blocks(kernel: Callable[[int, int], object], n_blocks: int) -> None:
    """Call ``kernel(first, stop)`` on chunks of the blocks ``0 .. n_blocks - 1``, on
    ``thread_count()`` threads; ``kernel`` must be compiled (it releases the GIL) and
    write each block's results to its own place."""
    threads = min(thread_count(), n_blocks)
    if threads <= 1:
        kernel(0, n_blocks)
        return
    n_chunks = min(n_blocks, CHUNKS_PER_THREAD * threads)
    edges = [n_blocks * c // n_chunks for c in range(n_chunks + 1)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for done in [pool.submit(kernel, first, stop) for first, stop in pairwise(edges)]:
            done.result()
