"""Text that every output can carry.

Legacy dumps and text pasted from word processors hold control characters: Word's soft line
break (vertical tab), form feeds, stray escape codes, the odd NUL. No reader sees them, and XML
1.0 cannot carry them, so one of them in a title made Django's feed writer fail on the whole
feed. They are read as spaces: a soft line break between two words must not join them.
"""

import re

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; and the two
# noncharacters XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    return _CONTROL.sub(" ", text)
