"""Reading a large voucher file in a process of its own, beside the import.

An import spends about a third of its time reading (cells to values, rows to
vouchers, fingerprints: `vouchers.Drafts`) and the rest deciding and writing.
Reading needs no ledger, so for a file of `PROCESS_BYTES_MIN` or more it runs
in a child process and sends the drafts back a thousand at a time, with the
errors it found; this process decides and writes meanwhile. On two cores the
import then takes about as long as its slower half. A smaller file is read
here: starting a process would cost more than it saves.

What the child sends, in order: ("drafts", drafts, errors kept, error count,
rows read) any number of times, then ("end", rows read, rows with errors);
or ("refused", refusal) or ("failed", traceback text) instead of the rest.
The child is forked on Linux when no other thread runs, and spawned otherwise
(a PostgreSQL store's connection pool runs threads, so there it is always
spawned: a fresh interpreter, about half a second). It closes its copy of the
pipe's reading end, ignores Ctrl-C (the parent stops it), and never uses the
parent's store: if the importing process dies (kill -9), the child's next
send, at most a thousand vouchers later, fails and it exits; nothing it does
is written anywhere.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.columns import KINDS
from sanzi_ledger.io.sources import Source, reopened
from sanzi_ledger.io.table import Errors, Table
from sanzi_ledger.io.voucher_drafts import Draft, Drafts

PROCESS_BYTES_MIN = 1 << 20  # about 7,000 vouchers of CSV
DRAFTS_PER_MESSAGE = 1000


def drafts_of(table: Table, collective: str) -> Drafts | InProcess:
    """The vouchers of `table` (its header already found here), read here or by a child process."""
    if table.source.size_bytes < PROCESS_BYTES_MIN:
        return Drafts(table, collective)
    return InProcess(table, collective)


class InProcess:
    """`Drafts` read by a child process: the same drafts, the same errors (into `table.errors`)."""

    def __init__(self, table: Table, collective: str) -> None:
        self.errors = table.errors
        self.rows = 0
        # Forked where that is safe (Linux, and no other thread that could hold a lock the
        # child would inherit held); spawned otherwise, which costs a fresh interpreter.
        fork = sys.platform == "linux" and threading.active_count() == 1
        context = multiprocessing.get_context("fork" if fork else "spawn")
        self._receive, send = context.Pipe(duplex=False)
        source = replace(table.source, _rows=None)  # what the file is, without the parent's open reader
        self._process = context.Process(target=_read, args=(send, self._receive, source, collective),
                                        name="sanzi-import-reader", daemon=True)
        self._process.start()
        send.close()  # only the child writes; the parent's copy would keep the pipe open after the child dies

    def __iter__(self) -> Iterator[Draft]:
        try:
            while True:
                message = self._next()
                if message[0] == "drafts":
                    _, drafts, kept, count, self.rows = message
                    self.errors.merge(kept, count)
                    yield from drafts
                elif message[0] == "end":
                    _, self.rows, rows = message
                    self.errors.rows |= rows  # also those past the kept errors: "N 行有错误" counts them
                    return
                elif message[0] == "refused":
                    raise message[1]
                else:
                    raise RuntimeError(f"the import's reading process failed:\n{message[1]}")
        finally:
            self.close()

    def _next(self) -> tuple[Any, ...]:
        try:
            return self._receive.recv()
        except EOFError:
            raise RuntimeError(f"the import's reading process stopped (exit code {self._process.exitcode})") from None

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _read(send: Connection, receive: Connection, source: Source, collective: str) -> None:
    """The child: read the file again from its start and send its drafts back."""
    receive.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        errors = Errors()
        drafts = Drafts(Table(reopened(source), KINDS["vouchers"], errors), collective)
        batch: list[Draft] = []
        sent, counted = 0, 0  # of the errors, how many the parent has been sent, and counted

        def flush() -> None:
            nonlocal sent, counted
            send.send(("drafts", batch, errors.kept[sent:], errors.count - counted, drafts.rows))
            sent, counted = len(errors.kept), errors.count

        for draft in drafts:
            batch.append(draft)
            if len(batch) >= DRAFTS_PER_MESSAGE:
                flush()
                batch = []
        flush()
        send.send(("end", drafts.rows, errors.rows))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importing process is gone: nothing to tell, nothing was written
    except Refusal as refusal:
        _last_word(send, ("refused", refusal))
    except Exception:  # noqa: BLE001 - a bug: say what it was rather than die silently
        _last_word(send, ("failed", traceback.format_exc()))
    finally:
        send.close()


def _last_word(send: Connection, message: tuple) -> None:
    try:
        send.send(message)
    except (BrokenPipeError, ConnectionResetError):
        pass
