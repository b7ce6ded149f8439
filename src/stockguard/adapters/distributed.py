"""Engines that run the planning kernels block by block: in process, or on Dask.

Both implement ``services.forecasting.partition.Engine`` (``map(function, blocks) ->
list`` in block order). For the same blocks they return the same numbers bit for bit;
see the notes of ``partition``.

``DaskEngine`` needs the ``distributed`` extra (``pip install 'stockguard[distributed]'``);
``dask.distributed`` is imported when an engine is created, so the rest of stockguard
works without it. Workers of a remote cluster need the same stockguard, numpy and scipy
as the client: the per-block task is pickled by reference to its module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

Item = TypeVar("Item")
Result = TypeVar("Result")

DEFAULT_DASHBOARD = ":8787"
"""Dashboard address of a local cluster (another free port is taken when this one is busy)."""


class EngineUnavailable(RuntimeError):
    """The engine cannot start: its package is missing or the scheduler is unreachable."""


class LocalEngine:
    """Runs every block one after the other in this process."""

    name = "local"

    def map(self, function: Callable[[Item], Result], blocks: Sequence[Item], /) -> list[Result]:
        return [function(block) for block in blocks]


class DaskEngine:
    """Runs blocks on a Dask cluster: the one at ``scheduler_address``, or a local one.

    Without an address it starts a ``LocalCluster`` of ``n_workers`` worker processes of
    one thread each (one block per process at a time; no GIL contention between blocks).
    ``memory_limit="auto"`` gives each worker an equal share of the machine's memory, so
    the workers together never exceed it and a runaway block restarts its worker instead
    of swapping the machine. Use it as a context manager, or call ``close()``: the client
    is closed, and the local cluster shut down when this engine started it.
    """

    name = "dask"

    def __init__(
        self,
        scheduler_address: str | None = None,
        *,
        n_workers: int = 2,
        threads_per_worker: int = 1,
        memory_limit: str | int = "auto",
        dashboard_address: str | None = DEFAULT_DASHBOARD,
        connect_timeout: float = 10.0,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise EngineUnavailable(
                "the dask engine needs dask.distributed: pip install 'stockguard[distributed]'"
            ) from error
        self._cluster: LocalCluster | None = None
        try:
            if scheduler_address is None:
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=n_workers,
                    threads_per_worker=threads_per_worker,
                    processes=True,
                    memory_limit=memory_limit,
                    dashboard_address=dashboard_address,
                )
                client = Client(self._cluster, set_as_default=False)  # type: ignore[no-untyped-call]
            else:
                client = Client(  # type: ignore[no-untyped-call]
                    scheduler_address, timeout=connect_timeout, set_as_default=False
                )
        except (OSError, RuntimeError) as error:  # TimeoutError is an OSError
            if self._cluster is not None:
                self._cluster.close()
            where = scheduler_address or "a local cluster"
            raise EngineUnavailable(f"cannot start Dask on {where}: {error}") from error
        self._client: Client = client

    @property
    def scheduler_address(self) -> str:
        """Address of the scheduler, for example ``tcp://127.0.0.1:8786``."""
        return str(self._client.scheduler_info()["address"])

    @property
    def dashboard_link(self) -> str | None:
        """URL of the cluster's dashboard, or None when it has none."""
        link = self._client.dashboard_link
        return str(link) if link else None

    def map(self, function: Callable[[Item], Result], blocks: Sequence[Item], /) -> list[Result]:
        """Scatter the blocks to the workers, run ``function`` on each, gather in order."""
        if not blocks:
            return []
        # distributed's scatter, gather and close have no annotations: hence the ignores
        scattered = self._client.scatter(list(blocks), hash=False)  # type: ignore[no-untyped-call]
        futures = self._client.map(function, scattered, pure=False)
        results: list[Result] = self._client.gather(futures)  # type: ignore[no-untyped-call]
        return results

    def close(self) -> None:
        """Close the client, then the local cluster if this engine started one."""
        self._client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
