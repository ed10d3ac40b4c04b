"""``manage.py restore --input DIR``: puts a backup into the database ``KHOI_DATABASE_URL``
names (same engine), refusing one that holds data unless ``--force``; checks every table's
rows and checksum against the backup's manifest, the audit chain and every chain another app
registered (the fund ledgers).

What can be checked before anything is replaced is checked first: the files against the
manifest, the field keys' passphrase and, for SQLite, the backup file itself (tables and
chains). The database is then replaced all or nothing (``dbcopy.load_database``): a dump
that cannot be loaded leaves it as it was. PostgreSQL's dump can only be read by loading it:
there every table's rows and checksum are compared with the manifest inside the load's single
transaction, before it commits (``dbcopy.pg_verify_sql``), so a dump whose data disagrees
with its manifest leaves the database as it was too; the chains (their keys live in the
application) are checked once the load has committed."""

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
        manifest = self.read_manifest(source)
        connection = connections["default"]
        if manifest["engine"] != dbcopy.engine(connection):
            raise CommandError(
                _(
                    "The backup is of a %(backup)s database and the target is %(target)s: "
                    "restore into the same engine, then use `manage.py move_database` to "
                    "change engines."
                )
                % {"backup": manifest["engine"], "target": dbcopy.engine(connection)}
            )
        dump = source / manifest["database"]
        media = source / "media"
        try:
            if dbcopy.sha256_file(dump) != manifest["database_sha256"]:
                raise CommandError(
                    _("%(file)s does not match the manifest (damaged or altered).") % {"file": dump}
                )
            for rel, digest in manifest["media"].items():
                if dbcopy.sha256_file(media / rel) != digest:
                    raise CommandError(
                        _("%(file)s does not match the manifest (damaged or altered).")
                        % {"file": f"media/{rel}"}
                    )
        except OSError as exc:
            raise CommandError(
                _("The backup in %(dir)s is incomplete: %(error)s; nothing was changed.")
                % {"dir": source, "error": exc}
            ) from exc
        if not dbcopy.is_empty() and not options["force"]:
            raise CommandError(
                _("The target database already holds data; add --force to replace all of it.")
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
        verify_sql = ""
        pg_checked = dbcopy.engine(connection) == "postgresql" and all(
            dbcopy.PG_CHECKSUM in t for t in manifest["tables"].values()
        )
        if pg_checked:
            verify_sql = dbcopy.pg_verify_sql(
                manifest["tables"], _("These tables differ from the backup's manifest:")
            )
        try:
            dbcopy.load_database(connection, dump, verify_sql)
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
        if pg_checked:  # the tables were compared before the load committed
            problems = dbcopy.chain_problems("default")
            if problems:
                raise CommandError(" ".join(problems))
        else:
            self.verify(manifest, "default")
        self.stdout.write(
            _(
                "Restored %(dir)s in %(seconds).1fs; every table matches the backup; "
                "%(chains)s: intact."
            )
            % {"dir": source, "seconds": time.monotonic() - started, "chains": dbcopy.chain_names()}
        )

    def read_manifest(self, source: Path) -> dict[str, Any]:
        """The manifest, with every entry the restore reads present and of the right kind,
        or a CommandError before anything is touched."""
        if not source.is_dir():
            raise CommandError(_("%(dir)s is not a backup directory.") % {"dir": source})
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("%(dir)s holds no readable manifest.json: %(error)s")
                % {"dir": source, "error": exc}
            ) from exc
        shape = {"engine": str, "database": str, "database_sha256": str, "tables": dict,
                 "media": dict}  # fmt: skip
        wrong = sorted(
            k for k, kind in shape.items()
            if not isinstance(manifest, dict) or not isinstance(manifest.get(k), kind)
        )  # fmt: skip
        if wrong or "/" in manifest["database"] or manifest["database"].startswith("."):
            raise CommandError(
                _("The manifest of %(dir)s is damaged (%(fields)s).")
                % {"dir": source, "fields": ", ".join(wrong) or "database"}
            )
        return dict(manifest)

    def open_keys(self, source: Path, manifest: dict[str, Any], options: dict[str, Any]) -> str:
        if "keys" not in manifest:
            raise CommandError(_("This backup holds no field keys (made without --with-keys)."))
        try:
            sealed = json.loads((source / manifest["keys"]).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("The backup in %(dir)s is incomplete: %(error)s; nothing was changed.")
                % {"dir": source, "error": exc}
            ) from exc
        try:
            return dbcopy.open_keys(sealed, read_passphrase(options["passphrase_env"], False))
        except CommandError:
            raise
        except Exception as exc:  # cryptography's InvalidToken: wrong passphrase
            raise CommandError(_("Wrong passphrase for the field keys.")) from exc

    def verify(self, manifest: dict[str, Any], alias: str) -> None:
        now = dbcopy.table_summary(alias)
        differ = [
            table
            for table in sorted(set(now) | set(manifest["tables"]))
            if now.get(table) != manifest["tables"].get(table)
        ]
        if differ:
            raise CommandError(
                _("These tables differ from the backup's manifest:") + " " + ", ".join(differ)
            )
        problems = dbcopy.chain_problems(alias)
        if problems:
            raise CommandError(" ".join(problems))
