"""Wagtail's API answers a bad request in English ("child_of must be a positive integer",
"No Locale matches the given query."), where the portal's own API messages are Vietnamese.
Wagtail's are put in Vietnamese while Vietnamese is the active language, as it is at /api/v2/
(outside the language prefixes); in any other language they stay as Wagtail wrote them.
"""

import re

from django.utils.translation import get_language

# (Wagtail's message, whole; the Vietnamese, with the message's groups as {0}, {1}, …)
_VIETNAMESE = [
    (r"not found|No Page matches the given query\.", "Không tìm thấy trang."),
    (r"No Locale matches the given query\.", "Không có ngôn ngữ này (tham số locale)."),
    (r"No Site matches the given query\.", "Không có trang web này (tham số site)."),
    # A page of another type than `?type=` asks for (/api/v2/pages/<id>/?type=…): Django
    # names the model ("No BulletinIndexPage matches the given query.").
    (r"No \w+ matches the given query\.", "Không tìm thấy trang."),
    (r"type doesn't exist", "Không có loại trang này (tham số type)."),
    (
        r"(child_of|ancestor_of|descendant_of|translation_of) must be a positive integer",
        "{0} phải là một số nguyên dương.",
    ),
    (r"parent page doesn't exist", "Không có trang cha này (tham số child_of)."),
    (r"descendant page doesn't exist", "Không có trang này (tham số ancestor_of)."),
    (r"ancestor page doesn't exist", "Không có trang này (tham số descendant_of)."),
    (r"translation_of page doesn't exist", "Không có trang này (tham số translation_of)."),
    (
        r"filtering by descendant_of with child_of is not supported",
        "Không thể dùng descendant_of cùng với child_of.",
    ),
    (r"offset must be a positive integer", "offset phải là một số nguyên không âm."),
    (r"limit must be a positive integer", "limit phải là một số nguyên dương."),
    (r"limit cannot be higher than (\d+)", "limit không được lớn hơn {0}."),
    (
        r"query parameter is not an operation or a recognised field: (.*)",
        "Tham số không được hỗ trợ: {0}.",
    ),
    (r"unknown fields: (.*)", "Không có trường: {0}."),
    (r"'(.*)' does not support nested fields", "Trường “{0}” không có trường con."),
    (r"fields error: (.*)", "Tham số fields không hợp lệ: {0}."),
    (
        r"cannot order by '(.*)' \(unknown field\)",
        "Không thể sắp xếp theo “{0}”: không có trường này.",
    ),
    (r"cannot order by '(.*)' \(invalid field\)", "Không thể sắp xếp theo “{0}”."),
    (r"random ordering with offset is not supported", "Không thể dùng order=random cùng offset."),
    (
        r"random ordering cannot be combined with other fields",
        "order=random không dùng cùng trường sắp xếp khác được.",
    ),
    (
        r"field filter error\. '(.*)' is not a valid value for (.*) \((.*)\)",
        "Giá trị lọc “{0}” không hợp lệ cho {1}.",
    ),
    (r"search is disabled", "Tìm kiếm qua API đang tắt."),
    # `?site=host:port` with a port that is no number, or a host several sites share.
    (
        r"Field 'port' expected a number but got (.*)\.",
        "Số cổng trong tham số site phải là một số nguyên, ví dụ localhost:80.",
    ),
    (
        r"Your query returned multiple sites\. Try adding a port number to your site filter\.",
        "Có nhiều trang web cùng tên máy này: hãy thêm số cổng vào tham số site, "
        "ví dụ localhost:80.",
    ),
]
_PATTERNS = [(re.compile(pattern, re.DOTALL), vietnamese) for pattern, vietnamese in _VIETNAMESE]


def in_readers_language(message: str) -> str:
    """`message` in Vietnamese when the reader's language is, and Wagtail wrote it."""
    if not (get_language() or "").startswith("vi"):
        return message
    for pattern, vietnamese in _PATTERNS:
        if match := pattern.fullmatch(message):
            return vietnamese.format(*match.groups())
    return message
