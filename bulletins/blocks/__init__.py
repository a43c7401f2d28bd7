"""StreamField blocks of a bulletin. The two top-level blocks mirror the legacy PublishingPortal
web parts `Block_BanTin_Toolbar` and `Block_BanTin_ViewData`; their names are stored in page
JSON and must not change."""

from .bulletin import BulletinBodyBlock, ToolbarBlock, ViewDataBlock, new_bulletin_body
from .content import ContentStreamBlock

__all__ = [
    "BulletinBodyBlock",
    "ContentStreamBlock",
    "ToolbarBlock",
    "ViewDataBlock",
    "new_bulletin_body",
]
