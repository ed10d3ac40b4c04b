"""``manage.py backup --output DIR``: the database, the uploaded files and (only when asked)
the field-encryption keys sealed with a passphrase, with a manifest to check a restore by."""

from __future__ import annotations

import getpass
import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from khoi.clock import real_now
from khoi.ops import dbcopy

FORMAT = 1
MIN_PASSPHRASE = 12


def read_passphrase(env_name: str, confirm: bool) -> str:
    value = os.environ.get(env_name, "")
    if not value:
        value = getpass.getpass("Passphrase for the field keys: ")
        if confirm and getpass.getpass("Again: ") != value:
            raise CommandError("The two passphrases differ.")
    if len(value) < MIN_PASSPHRASE:
        raise CommandError(f"The passphrase needs at least {MIN_PASSPHRASE} characters.")
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
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty.")
        out.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        connection = connections["default"]
        name = "database.dump" if dbcopy.engine(connection) == "postgresql" else "database.sqlite3"
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "engine": dbcopy.engine(connection),
            "created": real_now().isoformat(),
            "database": name,
        }
        # the row counts and checksums of exactly the rows in the dump (its snapshot), however
        # the application writes meanwhile
        manifest["tables"] = dbcopy.dump_database(connection, out / name)
        manifest["database_sha256"] = dbcopy.sha256_file(out / name)
        manifest["media"] = dbcopy.copy_tree(Path(settings.MEDIA_ROOT), out / "media")
        if options["with_keys"]:
            from khoi.petitions import crypto

            keys = ",".join(key.decode() for key in crypto.keys())  # noqa: SIM118 - a function
            passphrase = read_passphrase(options["passphrase_env"], confirm=True)
            sealed = dbcopy.seal_keys(keys, passphrase)
            (out / "field-keys.json").write_text(json.dumps(sealed, indent=1))
            (out / "field-keys.json").chmod(0o600)
            manifest["keys"] = "field-keys.json"
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {out}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} files{', field keys sealed' if options['with_keys'] else ''}"
            f" in {time.monotonic() - started:.1f}s."
        )
