"""A Streamlit session driven over the app's own websocket protocol, without a browser: connect
to `/_stcore/stream`, ask for a page as the browser does (a `rerun_script` BackMsg) and wait for
the run's `script_finished`. Used by the page benchmark and by the multi-process tests."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class PageRun:
    """What one page request cost and brought back."""

    page: str
    seconds: float
    bytes: int
    deltas: int
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


class Session:
    """One browser tab's session. `async with Session(url) as s: await s.open("budsjett")`."""

    def __init__(
        self, base_url: str, query: str = "", timeout: float = 300, cookie: str | None = None
    ) -> None:
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.query = query
        self.cookie = cookie  # e.g. the route cookie of scripts/serve.py's proxy
        self.timeout = timeout
        self.ws = None
        self.cached: set[str] = set()  # hashes the "browser" already holds, as the real one says

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open(self, page: str, keep_text: bool = False) -> PageRun:
        """Ask for `page` (its url path; '' for the default page); return when the run ends."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = page
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = PageRun(page, 0.0, 0, 0)
        async with asyncio.timeout(self.timeout):
            while True:
                raw = await self.ws.recv()
                run.bytes += len(raw)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                kind = fwd.WhichOneof("type")
                if fwd.metadata.cacheable and fwd.hash:
                    self.cached.add(fwd.hash)
                if kind == "delta":
                    run.deltas += 1
                    if keep_text or fwd.delta.new_element.WhichOneof("type") == "exception":
                        _collect(fwd, run)
                elif kind == "page_not_found":
                    raise LookupError(f"page {page!r} not found")
                elif kind == "script_finished":
                    if fwd.script_finished in FINISHED:
                        run.seconds = time.perf_counter() - start
                        return run


def _collect(fwd: ForwardMsg, run: PageRun) -> None:
    element = fwd.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.exceptions.append(element.exception.message)
    elif kind == "markdown":
        run.texts.append(element.markdown.body)
    elif kind == "heading":
        run.texts.append(element.heading.body)
    elif kind == "metric":
        run.texts.append(f"{element.metric.label}: {element.metric.body}")
    elif kind == "plotly_chart":
        run.texts.append(element.plotly_chart.spec[:2000])


async def open_pages(base_url: str, pages: list[str], query: str = "") -> list[PageRun]:
    """One session asking for `pages` in turn."""
    async with Session(base_url, query) as session:
        return [await session.open(page) for page in pages]
