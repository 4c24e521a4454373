"""archives.inspect_zip: a zip is measured by what it really inflates to, nested zips included,
never by the sizes it declares."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from qualitycity.archives import Limits, ZipRefused, inspect_zip

LIMITS = Limits(max_total=5 * 1024 * 1024, max_ratio=100)


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def lying(data: bytes, claimed: int) -> bytes:
    """A zip whose one member claims `claimed` bytes in both headers but holds `data`."""
    raw = bytearray(zip_of({"a.txt": data}))
    local = raw.find(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, claimed)  # local header: uncompressed size
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, claimed)  # central directory: uncompressed size
    return bytes(raw)


def inspect(content: bytes, limits: Limits = LIMITS):
    return inspect_zip(io.BytesIO(content), size=len(content), limits=limits)


def test_an_honest_zip_is_measured_member_by_member():
    report = inspect(zip_of({"a.txt": b"a" * 1000, "b/c.txt": b"hello"}))
    assert report.members == 2 and report.inflated == 1005
    assert report.largest == {"a.txt": 1000, "b/c.txt": 5}


def test_a_bomb_is_stopped_once_the_budget_is_spent():
    bomb = zip_of({"zeros.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # far below the ratio's share
    with pytest.raises(ZipRefused) as refused:
        inspect(bomb)
    assert refused.value.reason == "too_large"


def test_a_member_that_lies_about_its_size_is_refused():
    content = lying(b"\0" * (20 * 1024 * 1024), claimed=10)
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert declared == 10  # what the old check added up, and accepted
    with pytest.raises(ZipRefused) as refused:
        inspect(content)
    assert refused.value.reason in ("too_large", "damaged")


def test_a_bomb_inside_a_stored_zip_counts_against_the_same_budget():
    inner = zip_of({"zeros.bin": b"\0" * (20 * 1024 * 1024)})
    outer = zip_of({"inner.zip": inner}, method=zipfile.ZIP_STORED)
    with pytest.raises(ZipRefused) as refused:
        inspect(outer, Limits(max_total=5 * 1024 * 1024, max_ratio=10_000))
    assert refused.value.reason == "too_large"


def test_nesting_deeper_than_allowed_is_refused():
    level3 = zip_of({"x.txt": b"x"})
    level2 = zip_of({"l3.zip": level3})
    level1 = zip_of({"l2.zip": level2})
    assert inspect(level2).members == 2  # a zip inside a zip: fine at depth 2
    with pytest.raises(ZipRefused) as refused:
        inspect(level1)
    assert refused.value.reason == "too_deep"


def test_a_member_limit_by_name_and_a_member_count_limit():
    content = zip_of({"xl/sharedStrings.xml": b"<si>x</si>" * 50_000})
    with pytest.raises(ZipRefused):
        inspect(
            content,
            Limits(max_total=10**9, max_ratio=10**6, member_limits={"xl/sharedStrings.xml": 1000}),
        )
    many = zip_of({f"{i}.txt": b"" for i in range(30)})
    with pytest.raises(ZipRefused) as refused:
        inspect(many, Limits(max_total=10**6, max_ratio=100, max_members=20))
    assert refused.value.reason == "too_many"


def test_garbage_is_damaged():
    with pytest.raises(ZipRefused) as refused:
        inspect(b"PK\x03\x04 not really a zip")
    assert refused.value.reason == "damaged"
