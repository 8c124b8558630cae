"""One archive holds everything the site needs back: the database, MEDIA_ROOT and MODEL_DIR.

    manifest = write_backup(path)                     # manage.py backup
    manifest = restore_backup(path, target=..., ...)  # manage.py restore

The archive is a tar.gz: `database/` (SQLite: a consistent copy made with sqlite3's backup API;
PostgreSQL: a `pg_dump --format=custom`), `media/` and `models/` (the two folders, file for
file), and `manifest.json` (when, what, rows per table, files, sizes and SHA-256 of every
member). The database is dumped first and the folders read after it, so every upload and model
version a dumped row names is in the archive (files are written before their rows). A restore
checks every checksum before it writes anything, writes only into an empty database and empty
folders, and checks the restored tables' row counts against the manifest.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FOLDERS = {"media": "MEDIA_ROOT", "models": "MODEL_DIR"}  # archive folder → setting
SKIPPED_SUFFIXES = (".tmp",)  # a model version being written (recommendations.artifact)


class BackupFailed(Exception):
    """pg_dump or pg_restore refused, or the restored rows differ from the archived ones."""


class RestoreRefused(BackupFailed):
    """The archive is damaged or the target is not fresh: nothing was written."""


# --- writing --------------------------------------------------------------------------------


def write_backup(path, *, using="default"):
    """Write the archive to `path`; returns its manifest."""
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "django": django.get_version()}
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, "w:gz") as archive:
        database = _dump_database(connections[using], Path(scratch))
        dump = database.pop("path")
        manifest["database"] = {**database, **_add_file(archive, dump, database["member"])}
        for folder, setting in FOLDERS.items():
            manifest[folder] = _add_folder(archive, Path(getattr(settings, setting)), folder)
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return manifest


def _dump_database(connection, scratch):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _copy_sqlite(connection, scratch / "db.sqlite3")
    if connection.vendor == "postgresql":
        return _pg_dump(connection, scratch / "db.pgdump")
    raise NotImplementedError(f"backups of {connection.vendor} databases")


def _copy_sqlite(connection, copy):
    """sqlite3's online backup: a consistent copy even while other connections write."""
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    tables = table_counts({"ENGINE": "django.db.backends.sqlite3", "NAME": str(copy)})
    return {"vendor": "sqlite", "member": "database/db.sqlite3", "path": copy, "tables": tables}


def _pg_dump(connection, dump):
    """pg_dump under a snapshot exported by a repeatable-read transaction, in which the rows are
    counted too: the counts in the manifest are those of the dump."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.rollback()
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _count_rows(cursor, connection.introspection.table_names(cursor))
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "--file", str(dump)],
                connection.settings_dict,
            )
        raw.rollback()
    finally:
        raw.close()
    return {"vendor": "postgresql", "member": "database/db.pgdump", "path": dump, "tables": tables}


def _add_folder(archive, root, folder):
    files = {}
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file() and not path.name.endswith(SKIPPED_SUFFIXES):
            relative = path.relative_to(root).as_posix()
            files[relative] = _add_file(archive, path, f"{folder}/{relative}")
    return {"files": files, "count": len(files), "bytes": sum(entry["bytes"] for entry in files.values())}


def _add_file(archive, path, member):
    """Reads the file once, so its checksum is that of the bytes archived."""
    return _add_bytes(archive, member, Path(path).read_bytes())


def _add_bytes(archive, member, data):
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(data))
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


# --- reading --------------------------------------------------------------------------------


def restore_backup(path, *, target, media_root, model_dir):
    """Restore the archive into the database `target` (a settings.DATABASES-style dict) and the
    two folders, each of which must be empty; returns the manifest."""
    folders = {"media": Path(media_root), "models": Path(model_dir)}
    with tarfile.open(path, "r:gz") as archive:
        manifest = read_manifest(archive)
        _check_members(archive, manifest)
        _check_fresh(target, manifest["database"]["vendor"], folders)
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "database"
            dump.write_bytes(archive.extractfile(manifest["database"]["member"]).read())
            _restore_database(dump, target, manifest["database"]["vendor"])
        for folder, root in folders.items():
            _restore_folder(archive, manifest[folder]["files"], folder, root)
    restored = table_counts(target)
    if restored != manifest["database"]["tables"]:
        raise BackupFailed(f"the restored tables do not hold the archived rows: {_differences(manifest, restored)}")
    return manifest


def read_manifest(archive):
    try:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, ValueError) as error:
        raise RestoreRefused(f"not a Vinilogy backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"backup format {manifest.get('format')}, this version reads {FORMAT}")
    return manifest


def _members(manifest):
    """member name → expected sha256, for the database dump and every file of both folders."""
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    for folder in FOLDERS:
        expected.update({f"{folder}/{name}": entry["sha256"] for name, entry in manifest[folder]["files"].items()})
    return expected


def _check_members(archive, manifest):
    for member, sha256 in _members(manifest).items():
        if ".." in PurePosixPath(member).parts or member.startswith("/"):
            raise RestoreRefused(f"unsafe path in the archive: {member}")
        try:
            data = archive.extractfile(member).read()
        except (KeyError, AttributeError) as error:
            raise RestoreRefused(f"{member} is missing from the archive") from error
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RestoreRefused(f"{member} does not match its checksum: the archive is damaged")


def _check_fresh(target, vendor, folders):
    if _vendor(target) != vendor:
        raise RestoreRefused(f"the backup holds a {vendor} database; the target is {_vendor(target)}")
    if vendor == "sqlite" and Path(target["NAME"]).exists() and Path(target["NAME"]).stat().st_size:
        raise RestoreRefused(f"{target['NAME']} exists: restore into a new database file")
    if vendor == "postgresql" and table_counts(target):
        raise RestoreRefused(f"database {target['NAME']} has tables: restore into a new, empty database")
    for root in folders.values():
        if root.exists() and any(root.iterdir()):
            raise RestoreRefused(f"{root} is not empty: restore into empty folders")


def _restore_database(dump, target, vendor):
    if vendor == "sqlite":
        Path(target["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dump, target["NAME"])
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                target["NAME"],
                str(dump),
            ],
            target,
        )


def _restore_folder(archive, files, folder, root):
    root.mkdir(parents=True, exist_ok=True)
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(archive.extractfile(f"{folder}/{name}").read())


def _differences(manifest, restored):
    archived = manifest["database"]["tables"]
    return {
        table: (archived.get(table), restored.get(table))
        for table in archived.keys() | restored.keys()
        if archived.get(table) != restored.get(table)
    }


# --- shared ---------------------------------------------------------------------------------


def describe(manifest):
    """One line: what an archive holds."""
    database = manifest["database"]
    return (
        f"{database['vendor']} database ({len(database['tables'])} tables, {sum(database['tables'].values())} rows), "
        f"{manifest['media']['count']} media files, {manifest['models']['count']} model files"
    )


def database_connection(target, alias="backup-target"):
    """A Django connection to `target` (a DATABASES-style dict), outside settings.DATABASES."""
    configured = connections.configure_settings({"default": dict(target)})["default"]  # fills the defaults
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def table_counts(target):
    """table → rows, for every table of the database `target`."""
    connection = database_connection(target)
    try:
        with connection.cursor() as cursor:
            return _count_rows(cursor, connection.introspection.table_names(cursor))
    finally:
        connection.close()


def _count_rows(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table.replace(chr(34), chr(34) * 2)}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _vendor(target):
    return "sqlite" if "sqlite3" in target["ENGINE"] else "postgresql" if "postgresql" in target["ENGINE"] else target["ENGINE"]


def _run(command, database):
    """pg_dump / pg_restore with the connection of `database`; the password goes by environment."""
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [flag, str(database[key])]
    if command[0] == "pg_dump":
        command.append(database["NAME"])
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    if (database.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupFailed(f"{command[0]} failed: {result.stderr.strip()}")
