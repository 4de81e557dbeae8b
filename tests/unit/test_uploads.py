"""Uploaded files below the pages: content keys, names of our own on disk, the folder removed."""

from __future__ import annotations

import os
import stat

import pytest

from dashboard.service.uploads import batch_key, content_key, safe_suffix, written


def test_the_key_is_stable_and_tells_name_and_bytes_apart():
    key = content_key("mh_2019.xlsx", b"PK\x03\x04 data")
    assert key == content_key("mh_2019.xlsx", b"PK\x03\x04 data")
    assert key != content_key("mh_2020.xlsx", b"PK\x03\x04 data")
    assert key != content_key("mh_2019.xlsx", b"PK\x03\x04 datA")
    # the name and the bytes do not run together: moving a byte across changes the key
    assert content_key("a", b"bc") != content_key("ab", b"c")
    assert len(key) == 64 and int(key, 16) >= 0


def test_a_batch_key_follows_each_file_and_the_order():
    one, two = ("a.xlsx", b"1"), ("b.xlsx", b"2")
    assert batch_key([one, two]) == batch_key([one, two])
    assert batch_key([one, two]) != batch_key([two, one])
    assert batch_key([one, two]) != batch_key([one, ("b.xlsx", b"3")])
    assert batch_key([one]) != batch_key([one, two])


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("mh_handlingsplan_2019.XLSX", ".xlsx"),
        ("../../x.xlsx", ".xlsx"),
        ("..\\..\\windows\\x.xlsm", ".xlsm"),
        ("/etc/passwd", ""),
        ("svar.zip", ".zip"),
        ("x.xlsx/../../y", ""),
        ("navn.xl sx", ""),
        ("navn." + "x" * 40, ""),
        ("navn.xlsx\x00.sh", ".sh"),  # the last suffix; the import refuses the type
        ("navn.xl\x00sx", ""),
        ("", ""),
        ("..", ""),
    ],
)
def test_only_a_plain_suffix_is_kept_from_a_name(name, suffix):
    assert safe_suffix(name) == suffix


def test_hostile_names_are_written_inside_a_private_folder():
    names = ["../../x.xlsx", "/tmp/abs.xlsx", "..\\..\\y.xlsx", "a" * 300 + ".xlsx", ".."]
    files = [(n, f"innhold {i}".encode()) for i, n in enumerate(names)]
    with written(files) as paths:
        folder = paths[0][0].parent
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert [name for _, name in paths] == names  # the browser's names, kept for messages
        assert [p.name for p, _ in paths] == [
            "fil0.xlsx",
            "fil1.xlsx",
            "fil2.xlsx",
            "fil3.xlsx",
            "fil4",
        ]
        for (path, _), (_, data) in zip(paths, files, strict=True):
            assert path.parent == folder and path.read_bytes() == data
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p, _ in paths)
    assert not folder.exists()


def test_the_folder_is_removed_after_an_exception():
    with pytest.raises(RuntimeError, match="lesingen feilet"), written([("a.xlsx", b"x")]) as paths:
        folder = paths[0][0].parent
        assert folder.is_dir()
        raise RuntimeError("lesingen feilet")
    assert not folder.exists()
