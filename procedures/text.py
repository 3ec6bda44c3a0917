"""Search normalisation: case and Vietnamese diacritics folded away, so that `dang ky khai sinh`,
`Đăng ký khai sinh` and `DANG KY KHAI SINH` are the same words. `đ` is a letter of its own in
Unicode (not d + a mark), so it is mapped by hand."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w.\-]+")


def normalize_search(text: str) -> str:
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.lower())).strip()
