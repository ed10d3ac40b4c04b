"""``manage.py backup --output DIR``: the database, the uploaded files and (only when asked)
the field-encryption keys sealed with a passphrase, with a manifest to check a restore by."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from khoi.clock import real_now
from khoi.ops import dbcopy

FORMAT = 2  # 2: PostgreSQL tables carry PostgreSQL's own checksum (dbcopy.pg_summary)
MIN_PASSPHRASE = 12


def read_passphrase(env_name: str, confirm: bool) -> str:
    value = os.environ.get(env_name, "")
    if not value:
        value = getpass.getpass("Passphrase for the field keys: ")
        if confirm and getpass.getpass("Again: ") != value:
            raise CommandError(_("The two passphrases differ."))
    if len(value) < MIN_PASSPHRASE:
        raise CommandError(
            _("The passphrase needs at least %(n)s characters.") % {"n": MIN_PASSPHRASE}
        )
    return value


class Command(BaseCommand):
    help = "Back up the database, the media files and, with --with-keys, the field keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="a new or empty directory")
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="also save KHOI_FIELD_KEYS, encrypted with a passphrase",
        )
        parser.add_argument(
            "--passphrase-env",
            default="KHOI_BACKUP_PASSPHRASE",
            help="environment variable holding the passphrase (asked for when unset)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        try:
            if out.exists() and (not out.is_dir() or any(out.iterdir())):
                raise CommandError(
                    _("%(dir)s is not empty: give a new or empty directory.") % {"dir": out}
                )
            out.parent.mkdir(parents=True, exist_ok=True)
            # written beside the target, renamed into place only once complete: a backup that
            # fails (disk full, pg_dump stopped) leaves no directory that looks like a backup
            work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        except OSError as exc:
            raise CommandError(
                _("Cannot write the backup to %(dir)s: %(error)s")
                % {"dir": out, "error": exc.strerror or exc}
            ) from exc
        try:
            manifest = self.write(work, options)
            work.chmod(0o700)
            work.replace(out)  # an empty directory is replaced, a non-empty one refused
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, OSError | DatabaseError | RuntimeError):
                raise CommandError(
                    _("The backup failed and nothing was kept: %(error)s") % {"error": exc}
                ) from exc
            raise
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {out}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} files{', field keys sealed' if options['with_keys'] else ''}"
            f" in {time.monotonic() - self.started:.1f}s."
        )

    def write(self, out: Path, options: dict[str, Any]) -> dict[str, Any]:
        self.started = time.monotonic()
        connection = connections["default"]
        name = "database.dump" if dbcopy.engine(connection) == "postgresql" else "database.sqlite3"
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "engine": dbcopy.engine(connection),
            "created": real_now().isoformat(),
            "database": name,
        }
        if options["with_keys"]:  # asked first: a wrong passphrase costs no dump
            passphrase = read_passphrase(options["passphrase_env"], confirm=True)
        # the row counts and checksums of exactly the rows in the dump (its snapshot), however
        # the application writes meanwhile
        manifest["tables"] = dbcopy.dump_database(connection, out / name)
        manifest["database_sha256"] = dbcopy.sha256_file(out / name)
        manifest["media"] = dbcopy.copy_tree(Path(settings.MEDIA_ROOT), out / "media")
        if options["with_keys"]:
            from khoi.petitions import crypto

            keys = ",".join(key.decode() for key in crypto.keys())  # noqa: SIM118 - a function
            sealed = dbcopy.seal_keys(keys, passphrase)
            (out / "field-keys.json").write_text(json.dumps(sealed, indent=1))
            (out / "field-keys.json").chmod(0o600)
            manifest["keys"] = "field-keys.json"
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        return manifest
