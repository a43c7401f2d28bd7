"""Deterministic generator of fake Vietnamese provincial news bulletins for tests and benchmarks.

All text is built from templates and word lists with ``random.Random(seed)``, so the same seed
gives the same output on every run and machine. The province ("tỉnh Hòa Sơn") and the place
names (random syllable pairs) are invented; all strings are NFC-normalised.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["FakeBulletin", "VietnameseTextGenerator"]


def _nfc(*words: str) -> tuple[str, ...]:
    """NFC-normalise a word list (stored as a tuple: fixed order, no set iteration)."""
    return tuple(unicodedata.normalize("NFC", w) for w in words)


def _split(text: str) -> tuple[str, ...]:
    """Word list given as one space-separated string."""
    return _nfc(*text.split())


PROVINCE = _nfc("tỉnh Hòa Sơn")[0]

# Agencies that act as grammatical subjects.
AGENCIES = _nfc(
    "UBND tỉnh",
    "Chủ tịch UBND tỉnh",
    "Thường trực HĐND tỉnh",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Công Thương",
    "Sở Tư pháp",
    "Sở Dân tộc và Tôn giáo",
    "Ban Dân tộc tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Văn phòng UBND tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Bệnh viện Đa khoa tỉnh",
    "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Cục Thống kê tỉnh",
    "Ban Chỉ huy Phòng thủ dân sự tỉnh",
    "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
)
GROUPS = _nfc(
    "các sở, ban, ngành",
    "các đơn vị, địa phương",
    "UBND các huyện, thị xã, thành phố",
    "UBND các xã, phường",
    "các cơ quan, đơn vị",
    "chính quyền cơ sở",
    "người đứng đầu các cơ quan, đơn vị",
    "các tổ chức chính trị - xã hội",
    "các doanh nghiệp trên địa bàn",
    "các trường học",
    "các cơ sở y tế",
    "lực lượng công an xã",
    "đội ngũ cán bộ, công chức cấp xã",
    "các hợp tác xã",
    "người có uy tín trong đồng bào dân tộc thiểu số",
)
POSITIONS = _nfc(
    "Chủ tịch UBND tỉnh",
    "Phó Chủ tịch UBND tỉnh",
    "Phó Chủ tịch Thường trực UBND tỉnh",
    "Chủ tịch HĐND tỉnh",
    "Bí thư Tỉnh ủy",
    "Phó Bí thư Thường trực Tỉnh ủy",
    "Giám đốc Sở Y tế",
    "Giám đốc Sở Giáo dục và Đào tạo",
    "Giám đốc Sở Tài chính",
    "Trưởng Ban Dân tộc tỉnh",
    "Chánh Văn phòng UBND tỉnh",
)

# Topics: noun phrases used in titles and as sentence objects.
TOPICS = _nfc(
    "công tác bảo vệ, chăm sóc trẻ em",
    "phòng, chống xâm hại trẻ em",
    "phòng, chống đuối nước trẻ em",
    "bảo vệ trẻ em trên môi trường mạng",
    "xây dựng nông thôn mới",
    "xây dựng nông thôn mới nâng cao",
    "nâng cấp các tuyến đường giao thông nông thôn",
    "bê tông hóa đường liên thôn",
    "bảo trì đường tỉnh, đường huyện",
    "bảo đảm trật tự, an toàn giao thông",
    "giải phóng mặt bằng các dự án đường bộ",
    "chuyển đổi số",
    "phát triển chính quyền số",
    "cung cấp dịch vụ công trực tuyến toàn trình",
    "thanh toán không dùng tiền mặt",
    "triển khai Đề án 06",
    "cải cách thủ tục hành chính",
    "nâng cao chỉ số hài lòng của người dân",
    "sắp xếp tổ chức bộ máy",
    "phòng, chống thiên tai",
    "ứng phó với mưa lũ, sạt lở đất",
    "phòng, chống cháy rừng",
    "phòng, chống dịch bệnh",
    "tiêm chủng mở rộng",
    "phòng, chống sốt xuất huyết",
    "khám, chữa bệnh bảo hiểm y tế",
    "chăm sóc sức khỏe người cao tuổi",
    "bảo đảm an toàn thực phẩm",
    "nâng cao chất lượng giáo dục vùng cao",
    "xóa phòng học tạm, phòng học mượn",
    "tuyển sinh đầu cấp",
    "phổ cập giáo dục mầm non",
    "đào tạo nghề cho lao động nông thôn",
    "giải quyết việc làm cho thanh niên",
    "giảm nghèo bền vững",
    "xóa nhà tạm, nhà dột nát",
    "thực hiện chính sách dân tộc",
    "phát triển kinh tế vùng đồng bào dân tộc thiểu số",
    "bảo tồn văn hóa truyền thống các dân tộc",
    "bảo tồn nghệ thuật hát then, đàn tính",
    "phát triển du lịch cộng đồng",
    "quảng bá du lịch sinh thái",
    "phát triển sản phẩm OCOP",
    "sản xuất nông nghiệp theo tiêu chuẩn VietGAP",
    "chuyển đổi cơ cấu cây trồng",
    "phòng, chống dịch tả lợn châu Phi",
    "trồng rừng gỗ lớn",
    "quản lý, bảo vệ rừng",
    "thu hút đầu tư",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "giải ngân vốn đầu tư công",
    "thu ngân sách nhà nước",
    "quản lý đất đai",
    "bảo vệ môi trường",
    "thu gom, xử lý rác thải sinh hoạt",
    "cấp nước sạch nông thôn",
    "phòng, chống tệ nạn xã hội",
    "tuyên truyền, phổ biến pháp luật",
    "hòa giải ở cơ sở",
    "phát triển phong trào thể dục, thể thao",
    "xây dựng gia đình văn hóa",
    "bình ổn thị trường dịp Tết",
    "phát triển thương mại điện tử",
    "tín dụng chính sách xã hội",
    "bảo hiểm xã hội tự nguyện",
    "chăm lo người có công với cách mạng",
)
SHORT_TOPICS = tuple(t for t in TOPICS if len(t.split()) <= 4)  # keeps fallback titles short
TITLE_VERBS = _nfc(
    "triển khai",
    "đẩy mạnh",
    "tăng cường",
    "nâng cao hiệu quả",
    "tổng kết",
    "sơ kết",
    "kiểm tra",
    "ra quân",
    "phát động",
    "tập trung",
    "chỉ đạo",
    "quyết liệt",
    "đổi mới",
    "tháo gỡ khó khăn trong",
    "hướng dẫn",
    "giám sát",
)
LOCAL_VERBS = _nfc(
    "đẩy mạnh",
    "nỗ lực",
    "tích cực",
    "chú trọng",
    "sáng tạo trong",
    "về đích sớm",
    "đạt nhiều kết quả trong",
    "linh hoạt trong",
    "quan tâm",
    "vượt khó",
)
MEETINGS = _nfc(
    "Hội nghị triển khai",
    "Hội nghị sơ kết",
    "Hội nghị tổng kết",
    "Hội thảo về",
    "Tập huấn",
    "Diễn đàn",
    "Tọa đàm về",
    "Lễ phát động",
)
INSPECTORS = _nfc(
    "Đoàn công tác của tỉnh",
    "Lãnh đạo tỉnh",
    "Lãnh đạo UBND tỉnh",
    "Đoàn giám sát HĐND tỉnh",
    "Ban Văn hóa - Xã hội HĐND tỉnh",
    "Ban Dân tộc HĐND tỉnh",
    "Đoàn kiểm tra liên ngành",
    "Đoàn đại biểu Quốc hội tỉnh",
    "Phó Chủ tịch UBND tỉnh",
    "Thường trực Tỉnh ủy",
)
INSPECT_VERBS = _nfc("kiểm tra", "giám sát", "khảo sát", "làm việc về", "đánh giá", "thị sát")
OUTCOMES = _nfc(
    "nâng cao đời sống người dân",
    "tạo chuyển biến rõ nét",
    "hướng tới phát triển bền vững",
    "góp phần giảm nghèo",
    "tạo động lực phát triển",
    "đáp ứng yêu cầu trong tình hình mới",
    "phục vụ người dân tốt hơn",
    "bảo đảm an sinh xã hội",
    "thu hút sự tham gia của cộng đồng",
)
OCCASIONS = _nfc(
    "dịp Tết Nguyên đán",
    "mùa mưa bão",
    "dịp nghỉ hè",
    "mùa khô",
    "dịp Quốc khánh 2/9",
    "đầu năm học mới",
    "Tháng hành động vì trẻ em",
    "mùa lễ hội",
)
UNITS = _nfc(
    "km đường giao thông nông thôn",
    "km đường liên xã được cứng hóa",
    "phòng học",
    "căn nhà cho hộ nghèo",
    "sản phẩm OCOP",
    "ha rừng trồng mới",
    "công trình nước sạch",
    "lớp dạy bơi cho trẻ em",
    "tài khoản định danh điện tử",
    "hồ sơ trực tuyến",
    "lượt khách du lịch",
    "lao động được đào tạo nghề",
    "tổ công nghệ số cộng đồng",
)

# Sentence pieces.
VERBS = _nfc(
    "triển khai thực hiện",
    "đẩy mạnh",
    "tăng cường",
    "tập trung chỉ đạo",
    "rà soát, đánh giá",
    "kiểm tra, giám sát",
    "tổ chức thực hiện có hiệu quả",
    "chủ động tham mưu",
    "phối hợp chặt chẽ trong",
    "huy động nguồn lực cho",
    "nâng cao chất lượng",
    "tuyên truyền, vận động người dân tham gia",
    "bố trí kinh phí để thực hiện",
    "lồng ghép các chương trình về",
    "đôn đốc, hướng dẫn",
    "kịp thời tháo gỡ vướng mắc trong",
    "nhân rộng các mô hình hay về",
    "sơ kết, rút kinh nghiệm về",
    "xây dựng kế hoạch cụ thể về",
    "ưu tiên nguồn lực cho",
)
PAST_VERBS = _nfc(
    "đã triển khai",
    "đã hoàn thành",
    "đã tổ chức kiểm tra",
    "đã ban hành hướng dẫn về",
    "đã huy động lực lượng hỗ trợ",
    "đã chủ động thực hiện",
    "đã tập trung tháo gỡ khó khăn trong",
    "đã đạt nhiều kết quả trong",
)
PURPOSES = _nfc(
    "nhằm nâng cao chất lượng cuộc sống của nhân dân",
    "bảo đảm đúng tiến độ, chất lượng",
    "góp phần hoàn thành các chỉ tiêu kế hoạch năm",
    "tạo sự đồng thuận trong nhân dân",
    "không để xảy ra tình trạng chậm trễ, gây phiền hà",
    "bảo đảm công khai, minh bạch, đúng đối tượng",
    "tránh lãng phí, thất thoát",
    "hướng tới mục tiêu phát triển nhanh và bền vững",
    "đáp ứng yêu cầu của người dân, doanh nghiệp",
    "phù hợp với điều kiện thực tế của địa phương",
    "kịp thời ứng phó với các tình huống phát sinh",
    "từng bước thu hẹp khoảng cách giữa các vùng",
)
RESULTS = _nfc(
    "bước đầu đạt kết quả tích cực",
    "được người dân đồng tình, hưởng ứng",
    "tạo chuyển biến rõ nét trong nhận thức",
    "góp phần ổn định đời sống nhân dân",
    "vượt kế hoạch đề ra",
    "được các bộ, ngành trung ương ghi nhận",
    "thu hút đông đảo người dân tham gia",
    "đáp ứng cơ bản yêu cầu đặt ra",
)
PROBLEMS = _nfc(
    "nguồn lực đầu tư còn hạn chế",
    "địa hình chia cắt, giao thông đi lại khó khăn",
    "nhận thức của một bộ phận người dân chưa đầy đủ",
    "sự phối hợp giữa các ngành có lúc chưa chặt chẽ",
    "hạ tầng công nghệ thông tin ở vùng cao chưa đồng bộ",
    "đội ngũ cán bộ cấp xã còn thiếu và yếu",
    "thời tiết diễn biến bất thường",
    "tiến độ giải ngân một số dự án còn chậm",
    "tỷ lệ hộ nghèo vùng đồng bào dân tộc thiểu số còn cao",
    "một số đường liên xã xuống cấp nghiêm trọng",
    "kinh phí hỗ trợ chưa kịp thời",
)
TIMES = _nfc(
    "Thời gian qua",
    "Những năm gần đây",
    "Trong năm",
    "Từ đầu năm đến nay",
    "Sáu tháng đầu năm",
    "Trong quý vừa qua",
    "Giai đoạn vừa qua",
    "Năm trước",
)
REPORT_VERBS = _nfc("cho biết", "chia sẻ", "nhấn mạnh", "khẳng định", "thông tin")
QUOTES = _nfc(
    "người dân rất phấn khởi khi con đường mới được đưa vào sử dụng",
    "địa phương sẽ tiếp tục huy động mọi nguồn lực để hoàn thành mục tiêu đề ra",
    "việc ứng dụng công nghệ số giúp tiết kiệm đáng kể thời gian, chi phí",
    "các hộ dân đã chủ động chuyển đổi cây trồng, vật nuôi phù hợp",
    "nhà trường luôn quan tâm đến học sinh có hoàn cảnh khó khăn",
    "công tác phòng ngừa phải được đặt lên hàng đầu",
    "mọi trường hợp vi phạm sẽ được xử lý nghiêm theo quy định",
    "đây là cơ hội để giới thiệu bản sắc văn hóa của đồng bào với du khách",
)
# Roles are followed by a place: "Chủ tịch UBND xã Nà Khiếu".
ROLES = _nfc(
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
    "Bí thư Đảng ủy",
    "Giám đốc Hợp tác xã nông nghiệp",
    "Hiệu trưởng Trường Tiểu học",
    "Hiệu trưởng Trường Trung học cơ sở",
    "Trưởng Trạm Y tế",
    "người dân",
    "cán bộ khuyến nông",
    "cán bộ địa chính",
)
PERIODS = ((2016, 2020), (2021, 2025), (2021, 2030), (2026, 2030), (2022, 2025), (2024, 2026))

# Place names: kind + two syllables (e.g. "xã Nà Khiếu").
PLACE_KINDS = _nfc(
    "xã", "xã", "xã", "xã", "phường", "phường", "thị trấn", "huyện", "huyện", "thị xã", "thành phố"
)
PLACE_FIRST = _split(
    "Tân Phúc Đồng Yên Thạch Khê Ngọc Lũng Bản Nà Phiêng Cao Sơn Vân Hạ Thượng Đắc Mường "
    "Tà Nậm Khuổi Pác Phù Ngân Bình Quang Hưng Minh Xuân Trung Đông Tây Nam Bắc Hòa Lạc "
    "Thanh Kim Long Vĩnh Thuận Hợp Quỳnh Ea Chiềng Pắc Sảng Lương"
)
PLACE_SECOND = _split(
    "Khiếu Sảo Mơ Lơ Ưng Đắc Ngạn Liễu Diễn Lâm Thủy Sơn Hà Phong Tiến Lợi Thịnh Hòa Lộc "
    "Đức Thành Vượng Ngần Luông Cọ Dẻ Mỡ Khoang Nghĩa Quý Tường Hưng Lạng Sắc Cường Điền "
    "Ấp Nưa Phạ Rẫy Ỗn Chắn Mạ Ơn Đạt"
)

SURNAMES = _split(
    "Nguyễn Nguyễn Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Nông Lò Hà "
    "Triệu Ma Lương Đàm"
)
MALE_MIDDLE = _nfc("Văn", "Đức", "Hữu", "Minh", "Quốc", "Thanh", "Ngọc", "Đình", "Xuân", "Công")
FEMALE_MIDDLE = _nfc("Thị", "Thị", "Thị", "Thu", "Hồng", "Kim", "Thanh", "Ngọc", "Minh", "Diệu")
MALE_GIVEN = _split(
    "Dũng Thắng Đức Anh Lực Sình Huy Phong Bảo Kiệt Cường Nghĩa Tiến Đạt Mạnh Hưởng Lợi "
    "Tuấn Hải Khánh Quyết Trọng Sơn Vượng"
)
FEMALE_GIVEN = _split(
    "Huyền Trang Hằng Hạnh Tâm Ngọc Yến Thảo Hương Linh Nga Nhung Ánh Mến Ỏn Châu Hoa Lan "
    "Hà Quế Duyên Sắm Thư Ơn"
)

# (document type, symbol, issuer, probability of "/year/" in the number, max number)
_DOC_TYPES: tuple[tuple[str, str, str, float, int], ...] = (
    ("Công văn", "UBND-VXNV", "UBND tỉnh", 0.0, 6999),
    ("Công văn", "UBND-KGVX", "UBND tỉnh", 0.0, 6999),
    ("Công văn", "UBND-NC", "UBND tỉnh", 0.0, 6999),
    ("Công văn", "UBND-NNTN", "UBND tỉnh", 0.0, 6999),
    ("Công văn", "UBND-KT", "UBND tỉnh", 0.0, 6999),
    ("Công văn", "SYT-NVY", "Sở Y tế", 0.0, 2999),
    ("Kế hoạch", "KH-UBND", "UBND tỉnh", 0.0, 299),
    ("Kế hoạch", "KH-SGDĐT", "Sở Giáo dục và Đào tạo", 0.0, 2999),
    ("Kế hoạch", "KH-SYT", "Sở Y tế", 0.0, 999),
    ("Quyết định", "QĐ-UBND", "UBND tỉnh", 0.35, 2999),
    ("Quyết định", "QĐ-CT", "Chủ tịch UBND tỉnh", 0.0, 999),
    ("Chỉ thị", "CT-UBND", "Chủ tịch UBND tỉnh", 0.2, 25),
    ("Nghị quyết", "NQ-HĐND", "HĐND tỉnh", 0.5, 90),
    ("Thông báo", "TB-UBND", "UBND tỉnh", 0.0, 999),
    ("Hướng dẫn", "HD-SNV", "Sở Nội vụ", 0.0, 199),
    ("Báo cáo", "BC-UBND", "UBND tỉnh", 0.0, 999),
)
DOC_TYPES = tuple((*_nfc(k, s, i), p, n) for k, s, i, p, n in _DOC_TYPES)
FOLLOW_UPS = _nfc(
    "Theo đó",
    "Cụ thể",
    "Bên cạnh đó",
    "Đồng thời",
    "Ngoài ra",
    "Qua đó",
    "Trên cơ sở đó",
)


@dataclass(frozen=True)
class FakeBulletin:
    """A generated bulletin; every item of ``documents`` occurs verbatim in lead or paragraphs."""

    title: str
    date: datetime.date
    lead: str
    paragraphs: tuple[str, ...]
    author: str
    documents: tuple[str, ...]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(value: int) -> str:
    """Format an integer the Vietnamese way: 12.345."""
    return f"{value:,}".replace(",", ".")


def _fmt_date(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month}/{day.year}"


class VietnameseTextGenerator:
    """Template-based fake Vietnamese news text; output depends only on the arguments.

    ``missing_author_rate`` is the share of bulletins with an empty ``author`` (as in legacy
    data); it defaults to 0, so every bulletin is signed.
    """

    def __init__(self, seed: int = 0, missing_author_rate: float = 0.0) -> None:
        self._rng = random.Random(seed)
        self._missing_author_rate = missing_author_rate

    # -- small building blocks -------------------------------------------------------------

    def place(self) -> str:
        r = self._rng
        return f"{r.choice(PLACE_KINDS)} {r.choice(PLACE_FIRST)} {r.choice(PLACE_SECOND)}"

    def _subject(self) -> str:
        r = self._rng
        return r.choice(AGENCIES) if r.random() < 0.6 else r.choice(GROUPS)

    def _year(self) -> int:
        return self._rng.randint(2015, 2026)

    def person_name(self) -> str:
        """A short byline: "Minh Huyền", "Nguyễn Hạnh" (2 syllables) or "Lê Thu Hà" (3)."""
        r = self._rng
        female = r.random() < 0.5
        given = r.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        k = r.random()
        if k < 0.5:
            middle = r.choice(FEMALE_MIDDLE[3:] if female else MALE_MIDDLE)
            return f"{middle} {given}"
        if k < 0.7:
            return f"{r.choice(SURNAMES)} {given}"
        return self._full_name(female, given)

    def _full_name(self, female: bool, given: str) -> str:
        r = self._rng
        middle = r.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        return f"{r.choice(SURNAMES)} {middle} {given}"

    def document_reference(self, year: int | None = None) -> str:
        """E.g. "Công văn số 1566/UBND-VXNV" or "Quyết định số 12/2023/QĐ-UBND"."""
        return self._document(year)[0]

    def _document(self, year: int | None = None) -> tuple[str, str]:
        r = self._rng
        kind, symbol, issuer, year_prob, max_no = r.choice(DOC_TYPES)
        number = r.randint(1, max_no)
        if year_prob and r.random() < year_prob:
            ref = f"{kind} số {number:02d}/{year or self._year()}/{symbol}"
        else:
            ref = f"{kind} số {number:02d}/{symbol}"
        return ref, issuer

    # -- sentences -------------------------------------------------------------------------

    def sentence(self) -> str:
        """One declarative sentence ending with a period."""
        r = self._rng
        k = r.randrange(12)
        if k == 0:
            body = f"{self._subject()} {r.choice(VERBS)} {r.choice(TOPICS)}, {r.choice(PURPOSES)}"
        elif k == 1:
            body = (
                f"{r.choice(TIMES)}, {self._subject()} {r.choice(PAST_VERBS)} "
                f"{r.choice(TOPICS)} tại {self.place()}, {r.choice(RESULTS)}"
            )
        elif k == 2:
            body = (
                f"{r.choice(AGENCIES)} yêu cầu {r.choice(GROUPS)} {r.choice(VERBS)} "
                f"{r.choice(TOPICS)}; {r.choice(VERBS)} {r.choice(TOPICS)}"
            )
        elif k == 3:
            body = (
                f"Đến nay, {self.place()} đã có {_num(r.randint(3, 4800))} {r.choice(UNITS)}, "
                f"đạt {r.randint(62, 128)}% kế hoạch"
            )
        elif k == 4:
            body = (
                f"Theo báo cáo của {r.choice(AGENCIES)}, {r.choice(TIMES).lower()} toàn tỉnh có "
                f"{_num(r.randint(12, 9800))} lượt người được hỗ trợ về {r.choice(TOPICS)}, "
                f"tăng {r.randint(2, 45)},{r.randint(1, 9)}% so với cùng kỳ"
            )
        elif k == 5:
            body = (
                f"Tuy nhiên, {r.choice(PROBLEMS)}; {r.choice(PROBLEMS)}. "
                f"Thời gian tới, {self._subject()} sẽ {r.choice(VERBS)} {r.choice(TOPICS)}"
            )
        elif k == 6:
            body = (
                f"Phát biểu tại buổi làm việc, đồng chí {r.choice(POSITIONS)} đề nghị "
                f"{r.choice(GROUPS)} {r.choice(VERBS)} {r.choice(TOPICS)}, {r.choice(PURPOSES)}"
            )
        elif k == 7:
            female = r.random() < 0.5
            title = r.choice(("Bà", "Chị") if female else ("Ông", "Anh"))
            name = self._full_name(female, r.choice(FEMALE_GIVEN if female else MALE_GIVEN))
            body = (
                f"{title} {name}, {r.choice(ROLES)} {self.place()}, "
                f"{r.choice(REPORT_VERBS)}: {_cap(r.choice(QUOTES))}"
            )
        elif k == 8:
            body = (
                f"Mục tiêu đến năm {r.randint(2025, 2030)}, {r.randint(70, 100)}% số xã hoàn thành "
                f"{r.choice(TOPICS)} và {r.choice(TOPICS)}"
            )
        elif k == 9:
            body = (
                f"{r.choice(AGENCIES)} chủ trì, phối hợp với {r.choice(AGENCIES)} "
                f"{r.choice(VERBS)} {r.choice(TOPICS)} trên địa bàn {self.place()}"
            )
        elif k == 10:
            body = (
                f"{r.choice(FOLLOW_UPS)}, {self._subject()} {r.choice(VERBS)} {r.choice(TOPICS)}, "
                f"nhất là tại các thôn, bản vùng sâu, vùng xa của {self.place()}"
            )
        else:
            a, b = r.choice(PERIODS)
            body = (
                f"Tổng kinh phí thực hiện {r.choice(TOPICS)} giai đoạn {a} - {b} ước đạt "
                f"{_num(r.randint(5, 2400))} tỷ đồng, được huy động từ ngân sách nhà nước "
                f"và nguồn xã hội hóa"
            )
        return _cap(body) + "."

    def _citing_sentence(self, ref: str, issuer: str, issued: datetime.date) -> str:
        r = self._rng
        head = r.choice(("Thực hiện", "Triển khai", "Căn cứ", "Theo"))
        return (
            f"{head} {ref} ngày {_fmt_date(issued)} của {issuer}, {r.choice(GROUPS)} "
            f"{r.choice(VERBS)} {r.choice(TOPICS)}, {r.choice(PURPOSES)}."
        )

    def paragraph(self, sentences: int | None = None) -> str:
        """A paragraph of ``sentences`` sentences (3-6 when omitted)."""
        n = self._rng.randint(3, 6) if sentences is None else sentences
        return " ".join(self.sentence() for _ in range(n))

    # -- titles and bulletins --------------------------------------------------------------

    def title(self) -> str:
        """A headline of 8-16 words, capitalised, without trailing period."""
        return self._title(self._year())

    def _title(self, year: int) -> str:
        r = self._rng
        k = r.randrange(9)  # pick the template once, then retry its slots until the length fits
        for _ in range(60):
            topic = r.choice(TOPICS)
            if k == 0:
                text = f"{r.choice(AGENCIES)} {r.choice(TITLE_VERBS)} {topic} tại {self.place()}"
            elif k == 1:
                text = f"{self.place()} {r.choice(LOCAL_VERBS)} {topic}, {r.choice(OUTCOMES)}"
            elif k == 2:
                text = f"{r.choice(MEETINGS)} {topic} tại {self.place()} năm {year}"
            elif k == 3:
                a = year - r.randint(0, 2)
                text = f"{self.place()} ban hành kế hoạch {topic} giai đoạn {a} - {a + 4}"
            elif k == 4:
                count = _num(r.randint(3, 950))
                text = f"Năm {year}, {self.place()} có thêm {count} {r.choice(UNITS)}"
            elif k == 5:
                text = f"Tăng cường {topic} tại {self.place()} {r.choice(OCCASIONS)} năm {year}"
            elif k == 6:
                text = f"{self.place()}: {r.choice(TITLE_VERBS)} {topic} gắn với {r.choice(TOPICS)}"
            elif k == 7:
                who = r.choice(INSPECTORS)
                text = f"{who} {r.choice(INSPECT_VERBS)} {topic} tại {self.place()}"
            else:
                text = (
                    f"{r.choice(AGENCIES)} {r.choice(TITLE_VERBS)} {topic} "
                    f"{r.choice(OCCASIONS)} năm {year}"
                )
            if 8 <= len(text.split()) <= 16:
                return _cap(text)
        return _cap(f"{PROVINCE} {r.choice(TITLE_VERBS)} {r.choice(SHORT_TOPICS)} năm {year}")

    def bulletin(
        self,
        start: datetime.date = datetime.date(2015, 1, 1),
        end: datetime.date = datetime.date(2026, 6, 30),
    ) -> FakeBulletin:
        """A complete bulletin dated uniformly between ``start`` and ``end`` (inclusive)."""
        r = self._rng
        day = datetime.date.fromordinal(r.randint(start.toordinal(), end.toordinal()))
        title = self._title(day.year)

        n_docs = r.choices((0, 1, 2), weights=(3, 5, 2))[0]
        docs: list[tuple[str, str, datetime.date]] = []
        for _ in range(n_docs):
            issued = day - datetime.timedelta(days=r.randint(1, 40))
            ref, issuer = self._document(issued.year)
            if all(ref != d[0] for d in docs):
                docs.append((ref, issuer, issued))

        event = day - datetime.timedelta(days=r.randint(0, 2))
        if docs and r.random() < 0.6:
            ref, issuer, issued = docs[0]
            lead = (
                f"Ngày {_fmt_date(issued)}, {issuer} ban hành {ref} về {r.choice(TOPICS)} "
                f"trên địa bàn {PROVINCE}, {r.choice(PURPOSES)}."
            )
            in_body = docs[1:]
        else:
            lead = (
                f"Ngày {_fmt_date(event)}, {r.choice(AGENCIES)} tổ chức "
                f"{r.choice(MEETINGS).lower()} {r.choice(TOPICS)} tại {self.place()}, "
                f"{r.choice(PURPOSES)}."
            )
            in_body = docs
        if r.random() < 0.35:
            lead += " " + self.sentence()

        paragraphs = [self.paragraph() for _ in range(r.randint(3, 6))]
        for ref, issuer, issued in in_body:
            i = r.randrange(len(paragraphs))
            paragraphs[i] = f"{self._citing_sentence(ref, issuer, issued)} {paragraphs[i]}"
        ending = r.random()
        if ending < 0.3:
            paragraphs[-1] = paragraphs[-1][:-1] + "./."
        elif ending < 0.45:
            paragraphs[-1] = paragraphs[-1][:-1] + "..."

        text = " ".join((lead, *paragraphs))
        ordered = sorted((text.index(d[0]), d[0]) for d in docs)
        author = "" if r.random() < self._missing_author_rate else self.person_name()
        return FakeBulletin(
            title=title,
            date=day,
            lead=lead,
            paragraphs=tuple(paragraphs),
            author=author,
            documents=tuple(ref for _, ref in ordered),
        )

    def bulletins(self, n: int) -> Iterator[FakeBulletin]:
        """Yield ``n`` bulletins with the default date range."""
        for _ in range(n):
            yield self.bulletin()


if __name__ == "__main__":
    generator = VietnameseTextGenerator(seed=2023)
    for item in generator.bulletins(3):
        print(item.date.isoformat(), "|", item.title)
        print(item.lead)
        for para in item.paragraphs:
            print("   ", para)
        print("Tác giả:", item.author or "(không rõ)", "| Văn bản:", ", ".join(item.documents))
        print()
