from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings


class Command(BaseCommand):
    help = (
        "Fail when a translatable string has no Vietnamese translation, or an entry is fuzzy. "
        "Extraction uses Django's makemessages (GNU gettext) into a temporary copy."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if not source.exists():
            raise CommandError(f"{source} is missing")
        if shutil.which("xgettext") is None:
            self.stderr.write(
                "WARNING: GNU gettext (xgettext) is not installed: only the existing catalogue "
                "is checked, not the source code. Install the 'gettext' package for the full check."
            )
            catalogue = polib.pofile(str(source))
        else:
            # makemessages writes next to the files it scans, so it runs on a copy of the
            # sources: the real catalogue is never touched by the check.
            base = Path(settings.BASE_DIR)
            with tempfile.TemporaryDirectory() as tmp:
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "tests")
                for name in ("khoi", "templates"):
                    shutil.copytree(base / name, Path(tmp) / name, ignore=ignore)
                target = Path(tmp) / "locale" / "vi" / "LC_MESSAGES"
                target.mkdir(parents=True)
                shutil.copy(source, target / "django.po")
                cwd = os.getcwd()
                try:
                    os.chdir(tmp)
                    with override_settings(LOCALE_PATHS=[str(Path(tmp) / "locale")]):
                        call_command("makemessages", locale=["vi"], no_obsolete=True, verbosity=0)
                finally:
                    os.chdir(cwd)
                catalogue = polib.pofile(str(target / "django.po"))
        missing = [e for e in catalogue if not e.obsolete and not e.translated()]
        fuzzy = [e for e in catalogue if "fuzzy" in e.flags and not e.obsolete]
        problems = [f"untranslated: {e.msgid!r} ({e.occurrences[:1]})" for e in missing] + [
            f"fuzzy: {e.msgid!r}" for e in fuzzy
        ]
        if problems:
            raise CommandError(
                f"{len(problems)} translation problem(s) in locale/vi:\n"
                + "\n".join(problems[:200])
            )
        self.stdout.write(f"locale/vi: {len(catalogue)} entries, all translated.")
