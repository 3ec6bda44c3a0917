"""PDFs rendered by several threads at once (gunicorn's threaded workers) all come out whole."""

import sys
import threading

from reportlab.platypus import Paragraph

from portal.pdf import render, styles

TEXT = "Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc "
MARKS = "ạảãấầẩẫậăắằẳẵặđươ"


def test_threads_rendering_at_once_all_get_a_whole_pdf():
    errors, outputs = [], []

    def work(n):
        try:
            for i in range(15):
                body = styles()["base"]
                story = [Paragraph(TEXT + MARKS[(n + i) % len(MARKS)] * (i + 1) + str(n), body) for _ in range(30)]
                outputs.append(render(story, page="A5"))
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so a race shows
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(outputs) == 120 and all(pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF") for pdf in outputs)
