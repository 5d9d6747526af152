"""Text fit to store and to publish, whatever was pasted into it.

Word, PDFs and wire systems put characters into text that no reader needs
and that XML 1.0 cannot carry at all: one U+000B (Word's manual line break)
in a headline made every feed fail to render, and one U+FFFE made them
ill-formed. `clean_text` is applied on the way in (desk/services/, to
every text field it writes) and again on the way out (feeds and sitemaps,
to every string they write, for rows stored by a shell or an older release).

What it does, and why:

- Tab and line feed stay. CR LF and a lone CR become LF: one line break,
  so that a browser's CR LF and an import's LF are the same text to
  compare, and old Mac line endings still break lines.
- U+000B (vertical tab: Word's manual line break) and U+000C (form feed:
  its page break) become a line break in text of several lines, a space
  in a one-line field such as a headline.
- NUL and DEL are removed: they sit in text as padding or terminators
  (UTF-16 read as if it were UTF-8 puts a NUL after every letter), not
  between words, and PostgreSQL refuses NUL in text outright.
- The other C0 controls become a space: the separators U+001C..U+001F
  that some wire systems use between fields stand where a space was.
- C1 controls (U+0080..U+009F) are read as Windows-1252, as HTML reads
  `&#146;`: they come from Windows text decoded as Latin-1, where U+0092
  was meant as a right single quote and U+0096 as an en dash. The five
  bytes Windows-1252 leaves undefined become a space.
- Non-characters (U+FDD0..U+FDEF and the last two code points of every
  plane, U+FFFE and U+FFFF among them) are removed: Unicode reserves them
  for a program's internal use, never for interchange.
- Surrogate code points (only found in text decoded with `surrogatepass`
  or from JSON's `\\ud83d` escapes) are joined into the character they
  encode when they come in pairs, and lone ones become U+FFFD, the
  replacement character, as a UTF-8 decoder does with a bad byte.

Everything else is left as typed, including the bidirectional controls
right-to-left languages need.
"""

import re

NON_CHARACTERS = [chr(code) for code in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


def _cp1252(code):
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return " "


_COMMON = {0x00: None, 0x7F: None} | {
    code: " " for code in [*range(0x01, 0x09), *range(0x0E, 0x20)]
}
_COMMON |= {code: _cp1252(code) for code in range(0x80, 0xA0)}
_COMMON |= {ord(character): None for character in NON_CHARACTERS}
MULTILINE = str.maketrans(_COMMON | {0x0B: "\n", 0x0C: "\n"})
ONE_LINE = str.maketrans(_COMMON | {code: " " for code in (0x09, 0x0A, 0x0B, 0x0C)})

# Anything the tables above change, CR, or a surrogate: text without them
# (nearly all of it) is returned as it came, without being copied.
_CHANGED = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(NON_CHARACTERS)
_SUSPECT = re.compile(f"[{_CHANGED}]")
_SUSPECT_IN_ONE_LINE = re.compile(f"[\t\n{_CHANGED}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value, *, multiline=True):
    """`value` without the characters described above; `multiline=False`
    for one-line fields (headlines, names), where every line break and tab
    becomes a space. Anything that is not a string is returned as it is."""
    if not isinstance(value, str):
        return value
    if not (_SUSPECT if multiline else _SUSPECT_IN_ONE_LINE).search(value):
        return value
    if _SURROGATE.search(value):
        value = value.encode("utf-16-le", "surrogatepass").decode(
            "utf-16-le", "replace"
        )
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(MULTILINE if multiline else ONE_LINE)
