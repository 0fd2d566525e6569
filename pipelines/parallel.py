"""Run a function over many items in worker processes, with a time limit per item.

One pathological document (a PDF that sends the parser into a loop) must not hold up a
nightly build: an item that runs past the limit gets `on_timeout(item)` as its result, the
pool is torn down (killing the stuck worker) and the items not finished yet are resubmitted
to a fresh pool. Each result comes with its item's index (order may differ after a timeout).

Workers come from a fork server, not a plain fork: the Dagster process runs threads (event
log, gRPC, pipes readers), and forking a threaded process can copy a held lock into the child
and hang it.
"""

import multiprocessing as mp
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def map_with_timeout(fn: Callable[[Any], Any], items: Sequence[Any], workers: int, timeout_s: float,
                     on_timeout: Callable[[Any], Any]) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) for every item; `fn` must be a module-level function (picklable)."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([fn.__module__])
    todo = list(range(len(items)))
    while todo:
        pool = ctx.Pool(processes=max(1, workers), maxtasksperchild=200)
        try:
            pending = [(i, pool.apply_async(fn, (items[i],))) for i in todo]
            todo = []
            for pos, (i, result) in enumerate(pending):
                try:
                    value = result.get(timeout=timeout_s)
                except mp.TimeoutError:
                    yield i, on_timeout(items[i])
                    rest = pending[pos + 1:]
                    done = [(j, r) for j, r in rest if r.ready()]
                    for j, r in done:
                        yield j, r.get()
                    todo = [j for j, r in rest if not r.ready()]
                    break
                yield i, value
        finally:
            pool.terminate()
            pool.join()
