"""``manage.py restore --input DIR``: puts a backup into the database ``KHOI_DATABASE_URL``
names (same engine), refusing one that holds data unless ``--force``; then checks every
table's rows and checksum against the backup's manifest and the audit chain."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from khoi.ops import dbcopy
from khoi.ops.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )
        parser.add_argument(
            "--keys-to",
            help="write the sealed field keys, opened with the passphrase, to this file "
            "(mode 600) as a KHOI_FIELD_KEYS= line for the service's environment",
        )
        parser.add_argument("--passphrase-env", default="KHOI_BACKUP_PASSPHRASE")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"{source} holds no readable manifest.json: {exc}") from exc
        connection = connections["default"]
        if manifest["engine"] != dbcopy.engine(connection):
            raise CommandError(
                f"The backup is of a {manifest['engine']} database and the target is "
                f"{dbcopy.engine(connection)}: restore into the same engine, then use "
                "`manage.py move_database` to change engines."
            )
        dump = source / manifest["database"]
        if dbcopy.sha256_file(dump) != manifest["database_sha256"]:
            raise CommandError(f"{dump} does not match the manifest (damaged or altered).")
        media = source / "media"
        for rel, digest in manifest["media"].items():
            if dbcopy.sha256_file(media / rel) != digest:
                raise CommandError(f"media/{rel} does not match the manifest.")
        if not dbcopy.is_empty() and not options["force"]:
            raise CommandError(
                "The target database already holds data; add --force to replace all of it."
            )
        started = time.monotonic()
        dbcopy.load_database(connection, dump)
        dbcopy.copy_tree(media, Path(settings.MEDIA_ROOT))
        if options["keys_to"]:
            if "keys" not in manifest:
                raise CommandError("This backup holds no field keys (made without --with-keys).")
            sealed = json.loads((source / manifest["keys"]).read_text())
            try:
                keys = dbcopy.open_keys(sealed, read_passphrase(options["passphrase_env"], False))
            except Exception as exc:  # cryptography's InvalidToken: wrong passphrase
                raise CommandError("Wrong passphrase for the field keys.") from exc
            target = Path(options["keys_to"])
            target.touch(mode=0o600)
            target.write_text(f"KHOI_FIELD_KEYS={keys}\n")
        self.verify(manifest)
        self.stdout.write(
            f"Restored {source} in {time.monotonic() - started:.1f}s; every table matches "
            "the backup and the audit chain is intact."
        )

    def verify(self, manifest: dict[str, Any]) -> None:
        from khoi.audit.services import verify_chain

        now = dbcopy.table_summary()
        differ = [
            table
            for table in sorted(set(now) | set(manifest["tables"]))
            if now.get(table) != manifest["tables"].get(table)
        ]
        if differ:
            raise CommandError(f"After the restore these tables differ from the backup: {differ}")
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"The audit chain is broken at entry #{problem.seq}.")
