"""The installed package carries every data file it reads: each TOML, script and image under
dashboard/ is named by pyproject.toml's package data."""

from __future__ import annotations

import fnmatch
import tomllib

from dashboard.config import PACKAGE_DIR, ROOT


def test_every_data_file_of_the_package_is_package_data():
    with (ROOT / "pyproject.toml").open("rb") as fh:
        patterns = tomllib.load(fh)["tool"]["setuptools"]["package-data"]["dashboard"]
    files = [p for ext in ("toml", "js", "png") for p in PACKAGE_DIR.rglob(f"*.{ext}")]
    assert len(files) >= 7
    for path in files:
        name = path.relative_to(PACKAGE_DIR).as_posix()
        hit = any(fnmatch.fnmatch(name, p) and name.count("/") == p.count("/") for p in patterns)
        assert hit, f"{name} is not package data in pyproject.toml"
