"""Headless Chromium for the browser tests, driven from the command line only.

Each call starts a fresh `chromium --headless` with its own profile and
either dumps the DOM after load (`--dump-dom`), takes a screenshot or prints
to PDF; no WebDriver, no extra Python package.

Without Chromium the tests are skipped with a loud reason; with
SANZI_REQUIRE_BROWSER=1 (as in CI) they fail instead, so CI can never pass
without having opened the site in a browser. SANZI_CHROMIUM names another
binary; SANZI_BROWSER_ARTIFACTS names a directory that keeps the screenshots.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pytest

from sanzi_ledger.publish.site import build_site
from tests.publish_samples import sample_publications

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "/usr/bin/chromium")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
)
TIMEOUT = 45


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


class Chromium:
    def __init__(self, binary: str, scratch: Path) -> None:
        self.binary = binary
        self.scratch = scratch
        self.runs = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        self.runs += 1
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.scratch))
        env = dict(os.environ, HOME=str(profile), XDG_CONFIG_HOME=str(profile / "config"),
                   XDG_CACHE_HOME=str(profile / "cache"))
        command = [self.binary, *FLAGS, f"--user-data-dir={profile}", *args]
        # Its own process group, so a hung browser (a blocking alert() would hang it) and
        # its helper processes are all ended on timeout.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise AssertionError(f"chromium {args} did not finish in {TIMEOUT}s "
                                 "(a script calling alert() blocks headless Chromium)") from None
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        if done.returncode != 0:
            raise AssertionError(f"chromium {args} exited {done.returncode}:\n"
                                 f"{done.stderr.decode('utf-8', 'replace')[-3000:]}")
        return done

    def version(self) -> str:
        return self._run("--version").stdout.decode().strip()

    def dump_dom(self, url: str) -> str:
        """The DOM after the page has loaded (and after any script would have run)."""
        return self._run("--virtual-time-budget=2000", "--dump-dom", url).stdout.decode("utf-8")

    def screenshot(self, url: str, png: Path, width: int = 1000, height: int = 1400) -> Path:
        self._run(f"--screenshot={png}", f"--window-size={width},{height}", url)
        return png

    def print_pdf(self, url: str, pdf: Path) -> Path:
        self._run(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url)
        return pdf


def _find_binary() -> str | None:
    named = os.environ.get("SANZI_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Chromium:
    binary = _find_binary()
    problem = None
    browser = None
    if binary is None:
        problem = "no chromium binary on PATH (apt-get install chromium)"
    else:
        browser = Chromium(binary, tmp_path_factory.mktemp("chromium"))
        try:
            browser.version()
        except (AssertionError, OSError) as error:
            problem = f"{binary} does not start: {error}"
    if problem:
        message = f"BROWSER NOT TESTED — {problem}"
        if os.environ.get("SANZI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert browser is not None
    return browser


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static site of the sample publications; returns its index.html."""
    return build_site(sample_publications(), tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where screenshots go: SANZI_BROWSER_ARTIFACTS if set (kept), else a temp dir."""
    keep = os.environ.get("SANZI_BROWSER_ARTIFACTS")
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        yield tmp_path_factory.mktemp("screenshots")


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def follow(from_url: str, href: str) -> tuple[str, Path]:
    """Resolve a relative link as the browser does; return the URL and the file it names."""
    url = urljoin(from_url, href)
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return url.split("#", 1)[0], Path(url2pathname(parts.path))
