"""The zh-Hans catalogue must cover every string the code marks for translation, and nothing else."""

import shutil
import subprocess
import sys
from pathlib import Path

import huiwu

PACKAGE = Path(huiwu.__file__).parent
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# makemessages writes into LOCALE_PATHS, so it runs on a copy with LOCALE_PATHS pointed at the copy.
_EXTRACT = """
import sys, django
from django.conf import settings
django.setup()
settings.LOCALE_PATHS = [sys.argv[1] + "/locale"]
from django.core.management import call_command
call_command("makemessages", locale=["zh_Hans"], verbosity=0, no_location=True)
"""


def test_it_has_a_zh_hans_translation_for_every_ui_string(tmp_path):
    copy = tmp_path / "huiwu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "vendor", "__pycache__", "static"))
    (copy / "locale").mkdir()
    subprocess.run([sys.executable, "-c", _EXTRACT, str(copy)], cwd=copy, check=True)
    extracted = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

    # msgcmp counts untranslated and fuzzy entries of the first file as missing.
    missing = subprocess.run(["msgcmp", str(CATALOGUE), str(extracted)], capture_output=True, text=True, check=False)
    assert missing.returncode == 0, "untranslated or missing in django.po:\n" + missing.stderr
    stale = subprocess.run(
        ["msgcmp", "--use-untranslated", str(extracted), str(CATALOGUE)], capture_output=True, text=True, check=False
    )
    assert stale.returncode == 0, "no longer used, remove from django.po:\n" + stale.stderr
