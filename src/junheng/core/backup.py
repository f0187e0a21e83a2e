"""Backing up and restoring the platform: the database by its own tools (SQLite's online backup API, PostgreSQL's
pg_dump and pg_restore) and every file under MEDIA_ROOT, in one tar archive with a manifest.

A restore checks the whole archive (manifest, vendor, migration state, a checksum per member) and unpacks it beside
the live data before it changes anything; then the files are swapped in by renaming and the database is replaced in
one transaction. When the database cannot be replaced, the old files are renamed back."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3._functions import register as register_sqlite_functions
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1  # raised whenever the archive's layout changes; a restore refuses a format newer than it knows
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024

# Run before the restored schema inside the same transaction: tables made by migrations newer than the backup would
# otherwise survive it, and `junheng migrate` could not create them again.
CLEAR_SCHEMA = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT c.relname, c.relkind FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE',
      CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
        WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      current_schema(), item.relname);
  END LOOP;
END $$;
"""


class BackupRefused(Exception):
    """Why a backup or a restore was not done; a refused restore has changed nothing."""


@dataclass(frozen=True)
class Manifest:
    format: int
    vendor: str
    created: str  # ISO 8601 with its offset
    platform: str  # the junheng version that wrote it
    migrations: list[str]  # "app.name" of every migration applied to the database
    members: dict[str, dict[str, Any]]  # member name → {"sha256": …, "size": …}

    @property
    def file_count(self) -> int:
        return sum(1 for name in self.members if name.startswith(f"{MEDIA}/"))

    @property
    def created_local(self) -> str:
        return timezone.localtime(datetime.fromisoformat(self.created)).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    pending: list[str]  # migrations this code has that the backup had not applied: `junheng migrate` is due


# --- backing up ---------------------------------------------------------------------------------------------------


def backup_create(path: Path) -> Manifest:
    """Writes the archive to `path`, whole or not at all: it is built beside it and renamed into place."""
    vendor = _vendor()
    target = path.resolve()
    if not target.parent.is_dir():
        raise BackupRefused(_("The folder %(folder)s does not exist.") % {"folder": target.parent})
    migrations = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    created = timezone.now().isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".junheng-backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        # The database first: a file is written before the row naming it, so every file a dumped row names is
        # already on disk when the files are read.
        DUMPERS[vendor](dump)
        partial = Path(work) / "archive.tar"
        members: dict[str, dict[str, Any]] = {}
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            members[dump.name] = _add(archive, dump, dump.name)
            for file, relative in _media_files():
                members[f"{MEDIA}/{relative}"] = _add(archive, file, f"{MEDIA}/{relative}")
            manifest = Manifest(FORMAT, vendor, created, _platform_version(), migrations, members)
            _add_manifest(archive, manifest)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    return manifest


class _HashingReader:
    """Hands tarfile a file's bytes and hashes exactly the bytes it takes."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add(archive: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    stat = source.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with source.open("rb") as handle:
        reader = _HashingReader(handle)
        try:
            archive.addfile(info, reader)  # tarfile only calls read()
        except OSError as changed:  # the file shrank while it was read
            raise BackupRefused(
                _("%(name)s changed while it was being backed up; run the backup again.") % {"name": source}
            ) from changed
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_manifest(archive: tarfile.TarFile, manifest: Manifest) -> None:
    # Last in the archive: a truncated archive has lost it, and is refused as incomplete.
    data = json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    archive.addfile(info, io.BytesIO(data))


def _media_files() -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT with its path relative to it, in a stable order."""
    root = Path(settings.MEDIA_ROOT)
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            file = Path(folder) / name
            if file.is_file() and not file.is_symlink():
                yield file, file.relative_to(root).as_posix()


def _platform_version() -> str:
    try:
        return version("junheng")
    except PackageNotFoundError:
        return "unknown"


# --- restoring ----------------------------------------------------------------------------------------------------


def backup_restore(path: Path, *, confirm: Callable[[Manifest], bool], wait: float) -> Restored | None:
    """Replaces the database and MEDIA_ROOT with the archive's; None when `confirm` declines. `wait` is how many
    seconds to wait for the database to be free of other writers."""
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with _opened(path) as archive:
        manifest = _checked_manifest(archive, vendor)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        # Unpacked beside MEDIA_ROOT, on its file system, so that the swap is a rename.
        with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".junheng-restore-") as work:
            staged = Path(work)
            _unpack_checked(archive, manifest, staged)
            dump = staged / DUMPS[vendor]
            PREPARERS[vendor](dump, manifest)
            if not confirm(manifest):
                return None
            pending = sorted(_known_migrations() - set(manifest.migrations))
            connection.close()  # holds no lock of ours while the database is replaced
            undo = _swap_media(staged, media_root)
            try:
                REPLACERS[vendor](dump, wait)
            except BackupRefused:
                undo()
                raise
    return Restored(manifest, pending)


@contextmanager
def _opened(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupRefused(_("There is no file %(path)s.") % {"path": path})
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115  # closed by the with below, once it is known to be a tar
    except (tarfile.TarError, OSError, EOFError) as broken:
        raise BackupRefused(
            _("%(path)s is not a junheng backup, or it is damaged: %(error)s")
            % {"path": path, "error": broken}
        ) from broken
    with archive:
        try:
            archive.getmembers()  # every header now: a cut or damaged archive is refused before anything else
        except (tarfile.TarError, OSError, EOFError):
            raise _refused_as_incomplete() from None
        yield archive


def _refused_as_incomplete() -> BackupRefused:
    return BackupRefused(
        _("The backup is incomplete or damaged (was it copied whole?); nothing has been changed.")
    )


def _checked_manifest(archive: tarfile.TarFile, vendor: str) -> Manifest:
    try:
        handle = archive.extractfile(MANIFEST)
        if handle is None:
            raise _refused_as_incomplete()
        fields = json.load(handle)
        if int(fields["format"]) > FORMAT:
            raise BackupRefused(
                _(
                    "This backup was written by a newer version of junheng (format %(format)s); upgrade the platform first."
                )
                % {"format": fields["format"]}
            )
        manifest = Manifest(**fields)
    except KeyError:
        raise _refused_as_incomplete() from None
    except (ValueError, TypeError, tarfile.TarError, OSError) as broken:
        raise BackupRefused(
            _("The backup's manifest cannot be read: %(error)s") % {"error": broken}
        ) from broken
    if manifest.vendor != vendor:
        raise BackupRefused(
            _(
                "This is a backup of a %(backup)s database, and this platform runs on %(here)s: a backup is restored "
                "onto the same kind of database only."
            )
            % {
                "backup": VENDOR_NAMES.get(manifest.vendor, manifest.vendor),
                "here": VENDOR_NAMES.get(vendor, vendor),
            }
        )
    if newer := sorted(set(manifest.migrations) - _known_migrations()):
        raise BackupRefused(
            _(
                "This backup comes from a newer version of the platform: it holds migrations this version does not "
                "know (%(names)s). Upgrade the platform to that version first, then restore."
            )
            % {"names": "、".join(newer)}
        )
    names = [member.name for member in archive.getmembers() if member.name != MANIFEST]
    if sorted(names) != sorted(manifest.members) or DUMPS[vendor] not in manifest.members:
        raise _refused_as_incomplete()
    return manifest


def _known_migrations() -> set[str]:
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def _unpack_checked(archive: tarfile.TarFile, manifest: Manifest, staged: Path) -> None:
    """Every member into `staged`, each checked against its size and checksum in the manifest."""
    (staged / MEDIA).mkdir()
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        target = _member_target(member, staged)
        expected = manifest.members[member.name]
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            source = archive.extractfile(member)
            if source is None:  # not a regular file: _member_target has refused it already
                raise _refused_as_incomplete()
            with source, target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            os.utime(target, (member.mtime, member.mtime))
        except (tarfile.TarError, OSError, EOFError):
            raise _refused_as_incomplete() from None
        if member.size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise BackupRefused(
                _(
                    "%(name)s in the backup does not match its checksum: the backup is damaged; nothing has been changed."
                )
                % {"name": member.name}
            )


def _member_target(member: tarfile.TarInfo, staged: Path) -> Path:
    """Where a member is unpacked; only the dump and plain files under media/, never outside `staged`."""
    parts = PurePosixPath(member.name).parts
    safe = (
        member.isreg()
        and not PurePosixPath(member.name).is_absolute()
        and ".." not in parts
        and (member.name in DUMPS.values() or (len(parts) > 1 and parts[0] == MEDIA))
    )
    if not safe:
        raise BackupRefused(
            _("The backup holds %(name)s, which no junheng backup holds.") % {"name": member.name}
        )
    return staged.joinpath(*parts)


def _swap_media(staged: Path, media_root: Path) -> Callable[[], None]:
    """Puts the restored files in MEDIA_ROOT's place by renaming; returns how to put the old ones back."""
    previous = staged / "previous-media"
    had_files = media_root.exists()
    try:
        if had_files:
            os.rename(media_root, previous)
        try:
            os.rename(staged / MEDIA, media_root)
        except OSError:
            if had_files:
                os.rename(previous, media_root)
            raise
    except OSError as failed:
        raise BackupRefused(
            _("The files could not be put in place (%(error)s); nothing has been changed.")
            % {"error": failed}
        ) from failed

    def undo() -> None:
        os.rename(media_root, staged / "refused-media")
        if had_files:
            os.rename(previous, media_root)

    return undo


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupRefused(_("The database is held in memory only; there is nothing to back up or restore."))
    return Path(name)


def _sqlite_dump(target: Path) -> None:
    live = _sqlite_path()
    if not live.is_file():
        raise BackupRefused(_("There is no database at %(path)s.") % {"path": live})
    # The online backup API copies a consistent snapshot while the platform keeps serving.
    with closing(sqlite3.connect(live, timeout=20)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def _sqlite_prepare(dump: Path, manifest: Manifest) -> None:
    try:
        with closing(sqlite3.connect(dump)) as staged:
            # The schema's CHECK constraints call the functions Django gives its own connections (REGEXP …).
            register_sqlite_functions(staged)
            verdict = staged.execute("PRAGMA quick_check").fetchone()[0]
            applied = {
                f"{app}.{name}" for app, name in staged.execute("SELECT app, name FROM django_migrations")
            }
    except sqlite3.DatabaseError as broken:
        raise BackupRefused(
            _("The database in the backup cannot be read: %(error)s") % {"error": broken}
        ) from broken
    if verdict != "ok":
        raise BackupRefused(
            _("The database in the backup does not pass SQLite's check: %(error)s") % {"error": verdict}
        )
    if applied != set(manifest.migrations):
        raise _refused_as_incomplete()


def _sqlite_replace(dump: Path, wait: float) -> None:
    live = _sqlite_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait

    def give_up_when_busy(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise TimeoutError

    try:
        # One step (pages=-1): the live database changes in a single transaction, or not at all.
        with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(live, timeout=wait)) as target:
            source.backup(target, progress=give_up_when_busy)
    except (TimeoutError, sqlite3.Error) as failed:
        raise _database_not_replaced(failed) from failed


def _database_not_replaced(error: Exception) -> BackupRefused:
    return BackupRefused(
        _(
            "The database could not be replaced (%(error)s); the platform is as it was. Stop the web server and the "
            "background worker, then restore again."
        )
        % {"error": str(error) or _("it is in use")}
    )


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _postgres_env(**extra: str) -> dict[str, str]:
    """libpq's environment for pg_dump, pg_restore and psql: the connection of settings.DATABASES."""
    from django.db.backends.postgresql.client import DatabaseClient

    database = connection.settings_dict
    _args, secrets = DatabaseClient.settings_to_cmd_args_env(database, [])
    env = {**os.environ, **(secrets or {}), **extra}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(tool: str, *arguments: str, env: dict[str, str] | None = None) -> str:
    program = shutil.which(tool)
    if program is None:
        raise BackupRefused(
            _(
                "%(tool)s is not installed; install PostgreSQL's client programs (apt-get install postgresql-client)."
            )
            % {"tool": tool}
        )
    done = subprocess.run(
        [program, *arguments], env=env or _postgres_env(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupRefused(
            _("%(tool)s failed: %(error)s") % {"tool": tool, "error": done.stderr.strip() or done.returncode}
        )
    return done.stdout


def _postgres_dump(target: Path) -> None:
    _run("pg_dump", "--format=custom", f"--file={target}")


def _postgres_prepare(dump: Path, manifest: Manifest) -> None:
    """Turns the dump into the script the swap runs; reading it whole checks it before anything changes."""
    contents = _run("pg_restore", "--list", str(dump))
    # A comment on an extension may be set by the extension's owner only; it is the extension's own text anyway.
    wanted = [line for line in contents.splitlines() if " COMMENT - EXTENSION " not in line]
    listing = dump.with_suffix(".list")
    listing.write_text("\n".join(wanted) + "\n")
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        f"--use-list={listing}",
        f"--file={dump.with_suffix('.sql')}",
        str(dump),
    )


def _postgres_replace(dump: Path, wait: float) -> None:
    # One transaction: the old tables are dropped and the backup's created and filled, or, on any error, nothing.
    options = f"{os.environ.get('PGOPTIONS', '')} -c lock_timeout={int(wait * 1000)}".strip()
    try:
        _run(
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--command={CLEAR_SCHEMA}",
            f"--file={dump.with_suffix('.sql')}",
            env=_postgres_env(PGOPTIONS=options),
        )
    except BackupRefused as failed:
        raise _database_not_replaced(failed) from failed


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupRefused(
            _("Backups are made of SQLite and PostgreSQL databases only, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


DUMPERS: dict[str, Callable[[Path], None]] = {"sqlite": _sqlite_dump, "postgresql": _postgres_dump}
PREPARERS: dict[str, Callable[[Path, Manifest], None]] = {
    "sqlite": _sqlite_prepare,
    "postgresql": _postgres_prepare,
}
REPLACERS: dict[str, Callable[[Path, float], None]] = {
    "sqlite": _sqlite_replace,
    "postgresql": _postgres_replace,
}
