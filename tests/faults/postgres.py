"""A PostgreSQL server of the test's own (initdb and pg_ctl in a temporary folder), which the
test can stop and start again; the shared server the rest of the suite uses is never touched.

PostgreSQL refuses to run as root. As root (as CI and this machine run), the server runs as the
`postgres` system account, through `runuser`, in a folder handed to that account.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.ports import free_port

SERVER_ACCOUNT = "postgres"


def postgres_bin() -> Path | None:
    """The newest installed server binaries (Debian's layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    return int(Path(path).parent.parent.name)


def unavailable_reason() -> str | None:
    if postgres_bin() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            return f"running as root and there is no '{SERVER_ACCOUNT}' account to run it as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


@dataclass
class PrivatePostgres:
    """One server: its folder, port and log."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @classmethod
    def create(cls) -> PrivatePostgres:
        folder = Path(tempfile.mkdtemp(prefix="waymark-pg-"))
        server = cls(folder, free_port())
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVER_ACCOUNT)
            os.chown(folder, account.pw_uid, account.pw_gid)
        server._run("initdb", "-D", str(server.data), "-U", "postgres", "-A", "trust", "--no-sync")
        return server

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """An immediate stop: every connection cut at once, as in a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        command = [str(bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_ACCOUNT, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"{program} failed: {done.stdout}{done.stderr}"
