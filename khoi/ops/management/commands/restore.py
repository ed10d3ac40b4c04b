"""``manage.py restore --input DIR``: puts a backup into the database ``KHOI_DATABASE_URL``
names (same engine), refusing one that holds data unless ``--force``; checks every table's
rows and checksum against the backup's manifest, the audit chain and every chain another app
registered (the fund ledgers).

What can be checked before anything is replaced is checked first: the files against the
manifest, the field keys' passphrase and, for SQLite, the backup file itself (tables and
chains). The database is then replaced all or nothing (``dbcopy.load_database``): a dump
that cannot be loaded leaves it as it was. PostgreSQL's dump can only be read by loading it,
so there the tables and chains are compared after the load."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

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
        keys = self.open_keys(source, manifest, options) if options["keys_to"] else None
        started = time.monotonic()
        if dbcopy.engine(connection) == "sqlite":
            with dbcopy.sqlite_file(connection, dump) as alias:
                try:
                    self.verify(manifest, alias)
                except (CommandError, DatabaseError) as exc:  # checks failed, unreadable
                    raise CommandError(
                        _("The backup fails its checks; the database was not changed. %(why)s")
                        % {"why": exc}
                    ) from exc
        try:
            dbcopy.load_database(connection, dump)
        except dbcopy.RestoreFailed as exc:
            raise CommandError(
                _(
                    "The restore failed and was undone: the database holds what it held "
                    "before. Cause: %(error)s"
                )
                % {"error": exc}
            ) from exc
        dbcopy.copy_tree(media, Path(settings.MEDIA_ROOT))
        if keys is not None:
            target = Path(options["keys_to"])
            target.touch(mode=0o600)
            target.write_text(f"KHOI_FIELD_KEYS={keys}\n")
        self.verify(manifest, "default")
        self.stdout.write(
            f"Restored {source} in {time.monotonic() - started:.1f}s; every table matches "
            f"the backup; {dbcopy.chain_names()}: intact."
        )

    def open_keys(self, source: Path, manifest: dict[str, Any], options: dict[str, Any]) -> str:
        if "keys" not in manifest:
            raise CommandError("This backup holds no field keys (made without --with-keys).")
        sealed = json.loads((source / manifest["keys"]).read_text())
        try:
            return dbcopy.open_keys(sealed, read_passphrase(options["passphrase_env"], False))
        except Exception as exc:  # cryptography's InvalidToken: wrong passphrase
            raise CommandError("Wrong passphrase for the field keys.") from exc

    def verify(self, manifest: dict[str, Any], alias: str) -> None:
        now = dbcopy.table_summary(alias)
        differ = [
            table
            for table in sorted(set(now) | set(manifest["tables"]))
            if now.get(table) != manifest["tables"].get(table)
        ]
        if differ:
            raise CommandError(f"These tables differ from the backup's manifest: {differ}")
        problems = dbcopy.chain_problems(alias)
        if problems:
            raise CommandError(" ".join(problems))
