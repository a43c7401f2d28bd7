"""File sizes as Vietnamese readers write them: "1,2 MB" (decimal comma)."""

UNITS = ("KB", "MB", "GB", "TB")
NBSP = "\xa0"  # keeps the number and its unit on one line


def human_file_size(size: int | None) -> str:
    """ "" when unknown; bytes below 1 KB; otherwise one decimal, ",0" dropped: "2 KB", "1,2 MB"."""
    if size is None or size < 0:
        return ""
    if size < 1024:
        return f"{size}{NBSP}B"
    value = float(size)
    for unit in UNITS:
        value /= 1024
        if value < 1024 or unit == UNITS[-1]:
            break
    text = f"{value:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}{NBSP}{unit}"
