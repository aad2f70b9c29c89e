"""A damaged or missing index is a 503 on every route, never a 500 or a dead server, and serving resumes after a repair."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from web_fixtures import build_corpus_index

from indexer import IndexCorruptError, build_index, index_is_current, iter_hits, search, update_index
from indexer.store import POINTER, current_generation
from webapp import create_app

ROOT = Path(__file__).resolve().parents[1]
SERVER_SECONDS = 60  # to boot, and to answer after a change
ROUTES = (
    "/",
    "/?q=governance",
    "/?q=governance&more=place",
    "/api/search?q=governance",
    "/doc/world/story-01.txt",
    "/api/doc/world/story-01.txt",
    "/feed?q=governance",
    "/export.csv?q=governance",
    "/export.jsonl?q=governance",
)


def delete_manifest(index_dir: Path) -> None:
    for manifest in current_generation(index_dir).glob("manifest.json*"):
        manifest.unlink()


def delete_generation(index_dir: Path) -> None:
    shutil.rmtree(current_generation(index_dir))


def point_to_nothing(index_dir: Path) -> None:
    (index_dir / POINTER).write_text("gen-20000101-000000-000000\n")


def truncate_largest_file(index_dir: Path) -> None:
    """Cut the biggest file of the live generation in half, as a full disk or a bad copy would."""
    largest = max(current_generation(index_dir).iterdir(), key=lambda file: file.stat().st_size)
    with open(largest, "r+b") as file:
        file.truncate(largest.stat().st_size // 2)


DAMAGES = {
    "manifest deleted": delete_manifest,
    "generation deleted": delete_generation,
    "CURRENT names a missing folder": point_to_nothing,
    "a file truncated": truncate_largest_file,
}


@pytest.fixture
def corpus(tmp_path):
    return build_corpus_index(tmp_path)


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_every_route_of_a_damaged_index_is_a_503(corpus, damage):
    source_dir, index_dir = corpus
    damage(index_dir)
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir)}).test_client()
    for route in ROUTES:
        response = client.get(route)
        body = response.get_data(as_text=True)
        assert response.status_code == 503, route
        assert response.headers["Retry-After"] == "60", route
        assert "The index in" in body and "is damaged" in body and "seedsearch index" in body, route
    assert client.get("/opensearch.xml").status_code == 200  # needs no index
    build_index(source_dir, index_dir, jobs=1)
    for route in ROUTES:
        assert client.get(route).status_code == 200, route  # the same app serves the repaired index


def test_a_truncated_file_is_named_when_the_index_is_opened(corpus):
    _, index_dir = corpus
    truncate_largest_file(index_dir)
    assert not index_is_current(index_dir)  # so `seedsearch serve` rebuilds it before serving
    with pytest.raises(
        IndexCorruptError, match=r"is damaged \(MAIN_[\w.]+ has [\d,]+ bytes, [\d,]+ when it was written\)"
    ):
        search(index_dir, "governance")


def test_an_export_of_a_missing_index_is_a_whole_503_not_a_cut_stream(tmp_path):
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(tmp_path / "none")}).test_client()
    for route in ("/export.csv", "/export.jsonl?q=x"):
        response = client.get(route)
        assert response.status_code == 503
        assert response.mimetype == "text/html"
        assert "Search is unavailable" in response.get_data(as_text=True)
        assert "Content-Disposition" not in response.headers


def test_iter_hits_raises_before_the_first_hit_is_asked_for(tmp_path):
    _, index_dir = build_corpus_index(tmp_path)
    point_to_nothing(index_dir)
    with pytest.raises(IndexCorruptError, match="its live generation gen-20000101-000000-000000 is missing"):
        iter_hits(index_dir, "governance")  # not iterated: the error comes with the call


def test_creating_the_app_never_builds_an_index(tmp_path):
    source_dir, index_dir = build_corpus_index(tmp_path)
    shutil.rmtree(index_dir)
    app = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})
    assert not index_dir.exists()
    response = app.test_client().get("/?q=governance")
    assert response.status_code == 503
    assert f"<p>No index in {index_dir}: build one with" in response.get_data(as_text=True)


class Server:
    """`seedsearch serve` in a subprocess on a free loopback port, its log collected."""

    def __init__(self, index_dir: Path, source_dir: Path, cwd: Path):
        command = [sys.executable, "-m", "webapp.cli", "serve", "--index", str(index_dir), "--source", str(source_dir)]
        command += ["--port", "0", "--workers", "2"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.log: list[str] = []
        self.listening = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.listening.wait(SERVER_SECONDS), "gunicorn did not start:\n" + "".join(self.log)
        self.url = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", "".join(self.log)).group(1)

    def _read(self):
        for line in iter(self.process.stdout.readline, b""):
            self.log.append(line.decode(errors="replace"))
            if "Listening at:" in self.log[-1]:
                self.listening.set()

    def status(self, path: str = "/?q=governance") -> int | None:
        """The HTTP status of a GET, or None when nothing answers."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def wait_for(self, status: int) -> list[int | None]:
        """Ask until two answers in a row have `status` (one from each worker, likely); the answers seen."""
        seen: list[int | None] = []
        deadline = time.monotonic() + SERVER_SECONDS
        while time.monotonic() < deadline and seen[-2:] != [status, status]:
            seen.append(self.status())
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        return seen

    def restart_workers(self):
        """Replace every worker with a freshly booted one, as gunicorn does on HUP and after max_requests."""
        booted = sum("Booting worker" in line for line in self.log)
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + SERVER_SECONDS
        while sum("Booting worker" in line for line in self.log) < booted + 2 and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        return "".join(self.log)


def test_gunicorn_workers_booting_on_a_damaged_index_answer_503_and_recover_after_a_rebuild(tmp_path):
    """Old behaviour: each booting worker rebuilt the index; two at once -> IndexBusyError, exit 3,
    and gunicorn's master shut the site down for good."""
    source_dir, index_dir = build_corpus_index(tmp_path)
    server = Server(index_dir, source_dir, cwd=tmp_path)
    try:
        assert server.wait_for(200)[-1] == 200
        for name in ("manifest deleted", "generation deleted", "CURRENT names a missing folder"):
            DAMAGES[name](index_dir)
            damaged = (index_dir / POINTER).read_text()
            server.restart_workers()
            seen = server.wait_for(503)
            assert seen[-1] == 503, f"{name}: {seen}\n" + "".join(server.log[-30:])
            assert server.process.poll() is None, f"{name}: gunicorn's master exited"
            assert (index_dir / POINTER).read_text() == damaged  # no worker rebuilt it
            index = subprocess.run(
                [sys.executable, "-m", "indexer", "index", str(source_dir), "--index", str(index_dir), "--jobs", "1"],
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
                check=False,
            )
            assert index.returncode == 0, index.stderr
            assert server.wait_for(200)[-1] == 200, name  # the same workers, no restart
    finally:
        log = server.stop()
    assert "Worker failed to boot" not in log
    assert "Traceback" not in log


def test_an_update_of_a_damaged_index_rebuilds_it_rather_than_building_on_it(corpus):
    source_dir, index_dir = corpus
    truncate_largest_file(index_dir)
    report = update_index(source_dir, index_dir, jobs=1)
    assert report.added == report.files  # everything indexed again, nothing kept from the damaged generation
    assert index_is_current(index_dir)
    assert search(index_dir, "governance").total == 17
