"""Personas, factories and sample files shared by every test file.

Reference data (the Yongzhou organisation, framework and indicators) is built once per test
session by `conftest.py`; the helpers here make the per-test objects on top of it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

from django.core.files import File

from qualitycity.audit.models import AuditEvent
from qualitycity.frameworks import rules
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Membership, Region, Unit, User

PASSWORD = "Test-password-2017"
CITY = "431100"  # 永州市

# --- people and units -------------------------------------------------------------------------


def unit(name: str, region_code: str = CITY) -> Unit:
    """A unit of one region's directory (Yongzhou's by default)."""
    return Unit.objects.get(name=name, region__code=region_code)


def persona(
    username: str,
    role: str | None,
    unit_name: str | None = None,
    *,
    region_code: str = CITY,
    email: str = "",
) -> User:
    """A user with one membership (role in a region, and a unit for liaisons), or none."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=username, email=email
    )
    if role is not None:
        Membership.objects.create(
            user=user,
            role=role,
            region=Region.objects.get(code=region_code),
            unit=unit(unit_name, region_code) if unit_name else None,
        )
    return user


def html(response) -> str:
    """A page's body as text."""
    return response.content.decode()


def events(obj, action: str | None = None):
    """The audit events recorded for one object (optionally of one action)."""
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


# --- campaign work ----------------------------------------------------------------------------

PHASE = "全面推进阶段"
START, DUE = dt.date(2018, 1, 1), dt.date(2019, 2, 28)
TODAY = dt.date(2018, 9, 15)  # like the demo: mid-way through 全面推进


def phase_of(campaign):
    return campaign.phases.get(name=PHASE)


def make_task(
    campaign,
    office,
    *,
    unit_name: str = "市质监局",
    title: str = "建立质量工作联席会议制度",
    start: dt.date = START,
    due: dt.date = DUE,
    role: str | None = None,
    criterion=None,
):
    from qualitycity.campaigns import services as campaign_services
    from qualitycity.campaigns.choices import WorkRole

    return campaign_services.add_task(
        campaign,
        by=office,
        title=title,
        unit=unit(unit_name),
        start=start,
        due=due,
        role=role or WorkRole.LEAD,
        phase=phase_of(campaign),
        criterion=criterion,
    )


# --- scoring ----------------------------------------------------------------------------------


def _lowest(rule, maximum):
    if isinstance(rule, rules.Manual):
        return "0"
    if isinstance(rule, rules.Binary | rules.IndicatorRule | rules.Veto):
        return False  # a veto is left untriggered: it earns nothing either way
    if isinstance(rule, rules.Tiers):
        return min(rule.tiers, key=lambda t: t.points).label
    if isinstance(rule, rules.Rank):
        return min(rule.bands, key=lambda b: b.points).band
    if isinstance(rule, rules.Threshold):
        return "0"
    if isinstance(rule, rules.Count):
        return 0
    if isinstance(rule, rules.Deduction):
        return int(maximum / rule.per) + 1
    if isinstance(rule, rules.Composite):
        return [_lowest(c.rule, maximum) for c in rule.conditions]
    if isinstance(rule, rules.Parts):
        return [_lowest(p.rule, p.points) for p in rule.parts]
    raise AssertionError(rule)


def _highest(rule, maximum):
    if isinstance(rule, rules.Manual):
        return str(maximum)
    if isinstance(rule, rules.Binary | rules.IndicatorRule):
        return True
    if isinstance(rule, rules.Veto):
        return False
    if isinstance(rule, rules.Tiers):
        return max(rule.tiers, key=lambda t: t.points).label
    if isinstance(rule, rules.Rank):
        return max(rule.bands, key=lambda b: b.points).band
    if isinstance(rule, rules.Threshold):
        best = max(rule.bounds, key=lambda b: b.points)
        return str(best.min + 1 if best.strict else best.min)
    if isinstance(rule, rules.Count):
        return rule.at_least
    if isinstance(rule, rules.Deduction):
        return 0
    if isinstance(rule, rules.Composite):
        return [_highest(c.rule, maximum) for c in rule.conditions]
    if isinstance(rule, rules.Parts):
        return [_highest(p.rule, p.points) for p in rule.parts]
    raise AssertionError(rule)


def lowest_input(criterion: Criterion):
    """A scoring input that earns the rule's lowest points (so the row shows up as a gap)."""
    return _lowest(criterion.parsed_rule(), criterion.max_points)


def highest_input(criterion: Criterion):
    """A scoring input that earns the rule's full points."""
    return _highest(criterion.parsed_rule(), criterion.max_points)


def criteria_of(rnd) -> list[Criterion]:
    return list(
        Criterion.objects.filter(framework_id=rnd.campaign.framework_id)
        .exclude(na_allowed=True)
        .order_by("position")
    )


def score_criteria(rnd, criteria, *, by, high: bool = False) -> None:
    from qualitycity.assessments import services
    from qualitycity.assessments.models import Score

    for criterion in criteria:
        current = Score.objects.filter(round=rnd, criterion=criterion).first()
        services.save_score(
            rnd,
            criterion,
            by=by,
            value=highest_input(criterion) if high else lowest_input(criterion),
            expected_version=current.version if current else 0,
        )


# --- sample files ---------------------------------------------------------------------------


def pdf_bytes(text: str = "hello") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% "
        + text.encode()
        + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes() -> bytes:
    """A valid 1×1 RGB PNG."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """SOI, a JFIF APP0 segment and EOI: what `filetype` and most readers look at first."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


_OOXML = {
    # folder: (main part, content type of the main part)
    "word": ("word/document.xml", "wordprocessingml.document.main"),
    "xl": ("xl/workbook.xml", "spreadsheetml.sheet.main"),
    "ppt": ("ppt/presentation.xml", "presentationml.presentation.main"),
}


def ooxml_bytes(folder: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A docx/xlsx/pptx package: [Content_Types].xml first, then _rels/.rels, then the main part.

    `filetype` wants [Content_Types].xml (or _rels/.rels, docProps) as the first member and a
    word/, xl/ or ppt/ member among the next four.
    """
    main, kind = _OOXML[folder]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/{main}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{kind}+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main}"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr(main, "<root/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes | str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (members or {"说明.txt": "佐证材料清单"}).items():
            archive.writestr(name, data)
    return buf.getvalue()


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_bytes(first_sector: bytes = b"") -> bytes:
    """An OLE2 compound file header; `filetype` tells doc/xls/ppt apart by the first sector only."""
    header = (OLE_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00").ljust(512, b"\x00")
    return header + first_sector.ljust(1536, b"\x00")


def doc_bytes() -> bytes:
    return ole_bytes(b"\xec\xa5\xc1\x00")  # Word's FIB magic (wIdent 0xA5EC)


def xls_bytes() -> bytes:
    return ole_bytes(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 BOF record


def ppt_bytes() -> bytes:
    return ole_bytes(b"\xa0\x46\x1d\xf0")  # PowerPoint record header


def zip_bomb_bytes(megabytes: int = 10) -> bytes:
    return zip_bytes({"zeros.bin": b"\x00" * (megabytes * 1024 * 1024)})


def named(name: str, data: bytes) -> File:
    """An upload whose name is passed through untouched (UploadedFile would take the basename)."""
    return File(io.BytesIO(data), name=name)


def stored_files(media: Path) -> list[Path]:
    """Every file under a test's MEDIA_ROOT."""
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
