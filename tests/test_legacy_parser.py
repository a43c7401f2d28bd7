"""Reading legacy PublishingPortal dumps: the pure parser, document extraction, safe reading."""

import datetime
import random
import unicodedata
from pathlib import Path

import pytest

from bulletins.legacy import files
from bulletins.legacy.documents import CitedDocumentRef, cited_documents
from bulletins.legacy.files import MAX_DUMP_BYTES, UnreadableDumpError, find_dumps, read_dump
from bulletins.legacy.parser import (
    LegacyBulletin,
    LegacyParseError,
    looks_like_signature,
    normalise_lines,
    parse_dump,
)
from bulletins.legacy.prepare import TITLE_MAX_LENGTH, prepare_job, prepare_text, shorten_title
from portal.text import without_control_characters
from tests.legacy_dumps import render_dump, render_fake
from tests.vietnamese_text import VietnameseTextGenerator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "legacy"
SEED_DIR = Path("/work/shared/seed")


def parse_fixture(name: str) -> LegacyBulletin:
    return parse_dump(read_dump(FIXTURES / name))


@pytest.fixture(scope="module")
def standard() -> LegacyBulletin:
    return parse_fixture("good/01_chuan.txt")


# -- the layout ------------------------------------------------------------------------------


def test_standard_dump(standard):
    assert standard.date == datetime.date(2024, 9, 16)
    assert standard.title == "Khánh thành cầu treo bản Nà Khoang, xã Phiêng Sảo"
    assert standard.lead.startswith("Sáng 14/9/2024, UBND huyện Ngân Sơn")
    assert len(standard.paragraphs) == 3
    assert standard.paragraphs[-1].endswith("cho bà con./.")
    assert standard.author == "Thu Hà"
    assert "Tăng cỡ chữ" not in " ".join([standard.title, standard.lead, *standard.paragraphs])


@pytest.mark.parametrize(
    "name",
    [
        "good/02_khoang_trang_dau_moc.txt",  # spaces, tabs and NO-BREAK SPACEs around markers
        "good/03_bom_crlf.txt",  # UTF-8 BOM, Windows line endings
        "good/04_nfd.txt",  # decomposed Unicode
        "good/05_dong_trong_thua.txt",  # blank lines (some only spaces) everywhere
    ],
)
def test_tolerated_variants_read_as_the_standard_dump(name, standard):
    assert parse_fixture(name) == standard


def test_decomposed_text_is_stored_nfc():
    raw = (FIXTURES / "good/04_nfd.txt").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    record = parse_fixture("good/04_nfd.txt")
    for text in (record.title, record.lead, *record.paragraphs, record.author):
        assert unicodedata.is_normalized("NFC", text)


def test_missing_lead(standard):
    record = parse_fixture("good/06_thieu_sapo.txt")
    assert record.lead == ""
    # The first paragraph is not promoted to lead.
    assert record.paragraphs == standard.paragraphs


def test_missing_author(standard):
    record = parse_fixture("good/07_thieu_tac_gia.txt")
    assert record.author == ""
    assert record.paragraphs == standard.paragraphs


def test_no_break_spaces_inside_text_become_spaces():
    text = render_dump(
        date="01/02/2024", title="Tiêu\u00a0đề", paragraphs=["Một\u00a0\u00a0đoạn  văn."]
    )
    record = parse_dump(text)
    assert (record.title, record.paragraphs) == ("Tiêu đề", ("Một đoạn văn.",))


def test_control_characters_are_read_as_spaces():
    # Word's soft line break (vertical tab) between two words, a NUL and an escape code: no
    # reader sees them, and feeds can't carry them.
    text = render_dump(
        date="01/02/2024",
        title="Tiêu\x00đề\x1b[0m",
        lead="Sapo\x0bcủa bài.",
        paragraphs=["Một\x0bđoạn\x0cvăn\x85mới."],
        author="Thu\x01Hà",
    )
    record = parse_dump(text)
    assert record.title == "Tiêu đề [0m"
    assert record.lead == "Sapo của bài."
    assert record.paragraphs == ("Một đoạn văn mới.",)
    assert record.author == "Thu Hà"


def test_paragraph_wrapped_over_lines_is_joined():
    text = render_dump(date="01/02/2024", title="Tiêu đề", paragraphs=["Dòng một\ndòng hai."])
    assert parse_dump(text).paragraphs == ("Dòng một dòng hai.",)


def test_signature_directly_under_the_last_paragraph():
    text = render_dump(date="01/02/2024", title="Tiêu đề", paragraphs=["Nội dung./.\nHồng Nhung"])
    record = parse_dump(text)
    assert (record.paragraphs, record.author) == (("Nội dung./.",), "Hồng Nhung")


def test_lone_short_line_is_a_paragraph_not_an_author():
    record = parse_dump(render_dump(date="01/02/2024", title="Tiêu đề", paragraphs=["Tin ngắn"]))
    assert (record.paragraphs, record.author) == (("Tin ngắn",), "")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Minh Huyền", True),
        ("Nguyễn Thị Hạnh - Sở Y tế", True),
        ("(Theo Báo Hòa Sơn)", True),
        ("Đề nghị các đơn vị thực hiện nghiêm túc.", False),  # a sentence
        ("Các xã tiếp tục triển khai./.", False),
        ("Còn nhiều việc phải làm...", False),
        ("Chúc mừng năm mới!", False),
        ("Năm 2024", False),  # digits: a date or a figure, not a name
        ("theo kế hoạch", False),  # lower case: the end of a sentence
        ("Một dòng rất dài có quá nhiều chữ để có thể là một chữ ký", False),
        ("", False),
    ],
)
def test_signature_rule(line, expected):
    assert looks_like_signature(line) is expected


def test_generated_bulletins_round_trip():
    """Whatever the generator writes in the legacy layout reads back exactly."""
    generator = VietnameseTextGenerator(seed=11, missing_author_rate=0.2)
    for fake in generator.bulletins(300):
        prepared = prepare_text(render_fake(fake), "x.txt")
        record = prepared.record
        assert (record.date, record.title, record.lead) == (fake.date, fake.title, fake.lead)
        assert (record.paragraphs, record.author) == (fake.paragraphs, fake.author)
        assert tuple(str(d) for d in prepared.documents) == fake.documents


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("bad/rong.txt", None, "tệp rỗng"),
        ("bad/khong_dau_moc.txt", 1, "Block_BanTin_Toolbar"),
        ("bad/ngay_31_02.txt", 3, "không có thật"),
        ("bad/ngay_iso.txt", 3, "dd/mm/yyyy"),
        ("bad/thieu_viewdata.txt", 8, "Block_BanTin_ViewData"),
        ("bad/rac_nhi_phan.txt", 3, "tệp nhị phân"),
    ],
)
def test_bad_dumps_say_where_and_why(name, line, reason):
    with pytest.raises(LegacyParseError) as raised:
        parse_fixture(name)
    assert raised.value.line == line
    assert reason in raised.value.reason


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("\n  \n\u00a0\n", None, "tệp rỗng"),
        (render_dump(date="21/03/2023", title="") + "\nĐoạn.", 7, "thiếu tiêu đề"),
        (render_dump(date="21/03/1890", title="T", paragraphs=["Đoạn."]), 3, "năm 1890"),
        (render_dump(date="21/03/2023", title="T"), 7, "không có đoạn"),
        ("\n".join([render_dump(date="21/03/2023", title="T", paragraphs=["Đ."])] * 2), 10, "lặp"),
    ],
)
def test_more_layout_errors(text, line, reason):
    with pytest.raises(LegacyParseError) as raised:
        parse_dump(text)
    assert (raised.value.line, reason in raised.value.reason) == (line, True), raised.value


def test_invalid_utf8_is_refused(tmp_path):
    path = tmp_path / "windows-1258.txt"
    # "Tiêu đê" saved by an old Windows editor in its Vietnamese code page.
    path.write_bytes(
        "PublishingPortal - Block_BanTin_Toolbar\n21/03/2023\nTiêu đê".encode("cp1258")
    )
    with pytest.raises(UnreadableDumpError, match="không phải văn bản UTF-8"):
        read_dump(path)


def test_invalid_utf8_after_a_bom_is_reported_on_its_line_with_its_byte(tmp_path):
    path = tmp_path / "bom-roi-windows-1258.txt"
    # Saved as UTF-8 with a BOM, then a line pasted from an old Windows-1258 file: "Đ" is 0xd0.
    text = "\ufeffPublishingPortal - Block_BanTin_Toolbar\n\n21/03/2023\n".encode()
    path.write_bytes(text + "Đô la và vàng".encode("cp1258"))
    with pytest.raises(UnreadableDumpError) as raised:
        read_dump(path)
    assert raised.value.line == 4
    assert "byte 0xd0 không hợp lệ" in raised.value.reason


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_text("PublishingPortal", encoding="utf-16")
    with pytest.raises(UnreadableDumpError, match="UTF-16"):
        read_dump(path)


def test_oversized_file_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "5mb.txt"
    with path.open("wb") as file:
        file.truncate(5 * 1024 * 1024)  # sparse: 5 MB on paper, no memory needed
    assert path.stat().st_size > MAX_DUMP_BYTES

    def no_open(*args, **kwargs):
        raise AssertionError("an oversized dump must not be opened")

    monkeypatch.setattr(files, "open", no_open, raising=False)
    with pytest.raises(UnreadableDumpError, match="quá lớn"):
        read_dump(path)
    rejected = prepare_job(files.DumpJob(str(path), "5mb.txt"))
    assert "quá lớn" in rejected.reason


# -- what is derived from the record ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UBND tỉnh ban hành Công văn số 1566/UND-VXNV chỉ đạo", [("Công văn", "1566/UND-VXNV")]),
        ("theo Quyết định số 12/2023/QĐ-UBND.", [("Quyết định", "12/2023/QĐ-UBND")]),
        ("Thực hiện Kế hoạch số 45/KH-UBND,", [("Kế hoạch", "45/KH-UBND")]),
        ("Chỉ thị số 05-CT/TW của Ban Bí thư", [("Chỉ thị", "05-CT/TW")]),
        ("Nghị quyết số 19/2021/NQ-HĐND ngày", [("Nghị quyết", "19/2021/NQ-HĐND")]),
        ("Thông báo số 112/TB-UBND", [("Thông báo", "112/TB-UBND")]),
        ("Tờ trình số 87/TTr-SNV", [("Tờ trình", "87/TTr-SNV")]),
        ("Nghị định số 100/2019/NĐ-CP", [("Nghị định", "100/2019/NĐ-CP")]),
        ("Thông tư số 01/2024/TT-BGDĐT", [("Thông tư", "01/2024/TT-BGDĐT")]),
        ("căn cứ công văn số 9/SYT-NVY", [("Công văn", "9/SYT-NVY")]),  # lower case kind
        ("Kế hoạch cụ thể số 3 tháng", []),
        ("Năm 2023/2024 là năm bản lề", []),
    ],
)
def test_cited_documents(text, expected):
    assert [(d.kind, d.number) for d in cited_documents([text])] == expected


def test_cited_documents_in_order_without_repeats():
    texts = [
        "Kế hoạch số 45/KH-UBND và Quyết định số 7/QĐ-UBND.",
        "Nhắc lại Kế hoạch số 45/KH-UBND.",
    ]
    assert cited_documents(texts) == (
        CitedDocumentRef("Kế hoạch", "45/KH-UBND"),
        CitedDocumentRef("Quyết định", "7/QĐ-UBND"),
    )


def test_long_title_is_shortened_at_a_word_boundary():
    prepared = prepare_text(read_dump(FIXTURES / "good/08_tieu_de_dai.txt"), "08.txt")
    assert len(prepared.record.title) > TITLE_MAX_LENGTH
    assert len(prepared.title) <= TITLE_MAX_LENGTH
    assert prepared.title.endswith("…")
    assert prepared.record.title.startswith(prepared.title[:-1])
    assert prepared.record.title[len(prepared.title) - 1] == " "  # cut between two words
    assert prepared.full_title == prepared.record.title
    assert shorten_title("Ngắn") == "Ngắn"


def test_checksum_ignores_layout_but_not_content(standard):
    texts = [read_dump(path) for path in sorted((FIXTURES / "good").glob("0[1-5]_*.txt"))]
    assert len({prepare_text(text, "x").checksum for text in texts}) == 1
    changed = texts[0].replace("96 mét", "97 mét")
    assert prepare_text(changed, "x").checksum != prepare_text(texts[0], "x").checksum


def test_dumps_are_found_recursively_in_a_stable_order(tmp_path):
    for name in ["b/2.txt", "a/1.TXT", "a/ghi-chu.md", ".an/3.txt", "0.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [job.legacy_id for job in find_dumps([tmp_path, tmp_path / "0.txt"])]
    assert found == ["0.txt", "a/1.TXT", "b/2.txt", "0.txt"]


def test_normalised_lines_keep_editor_line_numbers():
    lines = normalise_lines("\ufeffmột\r\nhai\rba\u2028vẫn ba\n")
    assert [(line.number, line.text) for line in lines] == [
        (1, "một"),
        (2, "hai"),
        (3, "ba vẫn ba"),
        (4, ""),
    ]


# -- the real legacy dump ---------------------------------------------------------------------


def test_seed_dump():
    if not SEED_DIR.is_dir():
        pytest.skip("no legacy seed dump on this machine")
    path = next(iter(sorted(SEED_DIR.glob("*.txt"))))
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    prepared = prepare_text(raw, path.name)
    record = prepared.record
    assert record.date == datetime.date(2023, 3, 21)
    assert record.title == "Thực hiện các nhiệm vụ trọng tâm trong công tác trẻ em năm 2023"
    assert record.lead.startswith("Ngày 20/3/2023, UBND tỉnh ban hành Công văn số 1566/UND-VXNV")
    assert len(record.paragraphs) == 9
    assert record.author == "Minh Huyền"
    assert [(d.kind, d.number) for d in prepared.documents] == [("Công văn", "1566/UND-VXNV")]
    # Every paragraph is the seed's text, whitespace aside; the NO-BREAK SPACEs are gone.
    flat = " ".join(raw.split())
    for paragraph in record.paragraphs:
        assert paragraph in flat
        assert "\u00a0" not in paragraph


# -- damaged dumps ---------------------------------------------------------------------------

DAMAGE = [
    "\x01",
    "\x1b[31m",
    "\x0b",
    "\u202e",
    "\ufffd",
    "\uffff",
    "<b>",
    "&amp;",
    "🙂",
    "a\u0301",
    "PublishingPortal - Block_BanTin_Toolbar",
    " PublishingPortal - Block_BanTin_ViewData",
    "31/12/9999",
    "00/00/0000",
    "29/02/2023",
    "x" * 3000,
    "./.",
]


def damaged(text: str, rnd: random.Random) -> str:
    """The dump with a few lines inserted, dropped, cut, prefixed, swapped or the file cut."""
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(lines)) if lines else 0
        match rnd.randrange(6):
            case 0:
                lines.insert(i, rnd.choice(DAMAGE))
            case 1 if lines:
                del lines[i]
            case 2 if lines:
                lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)] + rnd.choice(DAMAGE)
            case 3 if lines:
                lines[i], lines[-1] = lines[-1], lines[i]
            case 4:
                lines = lines[: rnd.randrange(len(lines) + 1)]
            case 5 if lines:
                lines[i] = rnd.choice(DAMAGE) + lines[i]
    return "\n".join(lines)


def test_a_damaged_dump_is_a_clean_record_or_a_parse_error():
    """3,000 damaged copies of the fixture dumps (a fixed seed): each one parses into a record
    whose texts a page and a feed can carry, or raises LegacyParseError with a reason; never
    another exception, which would cost the file an "unexpected error"."""
    rnd = random.Random(2026)
    originals = [read_dump(path) for path in sorted((FIXTURES / "good").glob("*.txt"))]
    parsed = 0
    for number in range(3000):
        text = damaged(rnd.choice(originals), rnd)
        try:
            prepared = prepare_text(text, f"hong/{number}.txt")
        except LegacyParseError as error:
            assert error.reason
            continue
        parsed += 1
        record = prepared.record
        for value in (record.title, record.lead, record.author, *record.paragraphs):
            assert without_control_characters(value) == value, repr(value)
            assert value == value.strip()
        assert record.title and all(record.paragraphs)
    assert 300 < parsed < 2700  # the damage both breaks and spares dumps
