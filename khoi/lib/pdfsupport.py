"""What this machine needs to turn an official .docx into a faithful PDF.

LibreOffice converts; the documents ask for Times New Roman, which LibreOffice replaces by
a metric-compatible font. That font must cover Vietnamese in regular and bold: Liberation
Serif 1.x (Debian's ``fonts-liberation``) lacks letters such as "Ủ" and "ệ" in bold, so
LibreOffice borrows them from another typeface and bold headings change face mid-word.
Liberation Serif 2 (``fonts-liberation2``), Tinos and TeX Gyre Termes cover them.

Pure Python (subprocess only): ``missing()`` lists what is absent, for pages and commands.
"""

from __future__ import annotations

import shutil
import subprocess

# Families LibreOffice accepts for Times New Roman, in its order of preference.
TIMES_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos", "TeX Gyre Termes")
# Ủ Ệ ệ Ạ ạ Ữ ữ Đ đ Ư ư Ơ ơ: letters a font without full Vietnamese coverage lacks.
VIETNAMESE_PROBE = "1ee6 1ec6 1ec7 1ea0 1ea1 1eee 1eef 0110 0111 01af 01b0 01a0 01a1"
# Embedded font names (pdffonts) a faithful PDF may contain.
PDF_FONT_PREFIXES = ("TimesNewRoman", "LiberationSerif", "Tinos", "TeXGyreTermes")
# What to install on Debian/Ubuntu.
DEBIAN_PACKAGES = ("libreoffice-writer-nogui", "fonts-liberation2", "poppler-utils")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _has(pattern: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, pattern built here
            [fc_list, "-q", pattern], capture_output=True, timeout=20, check=False
        )
    except (subprocess.SubprocessError, OSError):
        return False
    return result.returncode == 0


def times_font() -> str | None:
    """The first Times-compatible family covering Vietnamese in regular and bold, or None."""
    for family in TIMES_FAMILIES:
        if all(
            _has(f"{family}:{style}:charset={VIETNAMESE_PROBE}") for style in ("regular", "bold")
        ):
            return family
    return None


def missing() -> list[str]:
    """ "libreoffice" and/or "font": what a faithful PDF still needs on this machine."""
    out = []
    if soffice() is None:
        out.append("libreoffice")
    if times_font() is None:
        out.append("font")
    return out


def foreign_fonts(pdffonts_output: str) -> list[str]:
    """Names of embedded fonts (``pdffonts`` output) that are not a Times-compatible face."""
    names = []
    for line in pdffonts_output.splitlines()[2:]:
        if not line.strip():
            continue
        name = line.split()[0].split("+", 1)[-1]
        if not name.startswith(PDF_FONT_PREFIXES):
            names.append(name)
    return names


if __name__ == "__main__":  # `python -m khoi.lib.pdfsupport`: run by `make install`
    gaps = missing()
    if gaps:
        what = {"libreoffice": "LibreOffice", "font": "a Times-compatible font covering Vietnamese"}
        print(
            "PDF export: missing "
            + " and ".join(what[g] for g in gaps)
            + ". Install with `make pdf-deps` (Debian/Ubuntu: apt-get install "
            + " ".join(DEBIAN_PACKAGES)
            + ")."
        )
